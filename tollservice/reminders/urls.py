from django.urls import path

from tollservice.reminders import views

app_name = "reminders"

urlpatterns = [
    path("settings/", views.settings_overview, name="settings"),
    path("settings/<str:kind>/", views.PolicyChangeView.as_view(), name="policy_change"),
]
