from django.urls import path

from tollservice.roster import views

app_name = "roster"

urlpatterns = [
    path("", views.index, name="index"),
    path("station/", views.StationEditView.as_view(), name="station_edit"),
    path("departments/", views.DepartmentListView.as_view(), name="department_list"),
    path("departments/new/", views.DepartmentCreateView.as_view(), name="department_create"),
    path("departments/<int:pk>/", views.DepartmentDetailView.as_view(), name="department_detail"),
    path("departments/<int:pk>/edit/", views.DepartmentUpdateView.as_view(), name="department_update"),
    path("teams/", views.TeamListView.as_view(), name="team_list"),
    path("teams/new/", views.TeamCreateView.as_view(), name="team_create"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="team_detail"),
    path("teams/<int:pk>/edit/", views.TeamUpdateView.as_view(), name="team_update"),
    path("staff/", views.StaffListView.as_view(), name="staff_list"),
    path("staff/new/", views.StaffCreateView.as_view(), name="staff_create"),
    path("staff/<int:pk>/", views.StaffDetailView.as_view(), name="staff_detail"),
    path("staff/<int:pk>/edit/", views.StaffUpdateView.as_view(), name="staff_update"),
    path("staff/<int:pk>/leave/", views.StaffDeactivateView.as_view(), name="staff_deactivate"),
    path("staff/<int:pk>/return/", views.staff_reactivate, name="staff_reactivate"),
    path("staff/<int:pk>/account/", views.StaffAccountView.as_view(), name="staff_account"),
    path("leadership/", views.leadership, name="leadership"),
    path("leadership/new/", views.LeadershipAddView.as_view(), name="leadership_add"),
    path("leadership/<int:pk>/end/", views.LeadershipEndView.as_view(), name="leadership_end"),
    path("office/", views.office, name="office"),
    path("office/new/", views.OfficeAddView.as_view(), name="office_add"),
    path("office/<int:pk>/end/", views.OfficeEndView.as_view(), name="office_end"),
    path("supervisors/", views.SupervisorListView.as_view(), name="supervisor_list"),
    path("supervisors/new/", views.SupervisorCreateView.as_view(), name="supervisor_create"),
    path("supervisors/<int:pk>/", views.SupervisorDetailView.as_view(), name="supervisor_detail"),
    path("supervisors/<int:pk>/edit/", views.SupervisorUpdateView.as_view(), name="supervisor_update"),
    path("supervisors/<int:pk>/end/", views.SupervisorDeactivateView.as_view(), name="supervisor_deactivate"),
    path("supervisors/<int:pk>/account/", views.SupervisorAccountView.as_view(), name="supervisor_account"),
    path("shifts/", views.ShiftListView.as_view(), name="shift_list"),
    path("shifts/new/", views.ShiftCreateView.as_view(), name="shift_create"),
    path("shifts/<int:pk>/edit/", views.ShiftUpdateView.as_view(), name="shift_update"),
    path("import/", views.roster_import, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("export.xlsx", views.export, name="export"),
]
