from django.urls import path

from tollservice.core.calendar import views

app_name = "calendar"

urlpatterns = [
    path("", views.calendar_index, name="index"),
    path("remove/", views.calendar_day_remove, name="day_remove"),
    path("confirm/", views.calendar_year_confirm, name="year_confirm"),
]
