from django.urls import path
from django.views.generic import RedirectView

from medmatch.applications import views

app_name = "applications"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="applications:board"), name="index"),
    path("board/", views.show_board, name="board"),
    path("table/", views.show_table, name="table"),
    path("next/", views.show_next_steps, name="dashboard"),
    path("track/<int:program_pk>/", views.track_application, name="create"),
    path("<int:pk>/", views.show_application, name="detail"),
    path("<int:pk>/edit/", views.edit_application, name="edit"),
    path("<int:pk>/move/", views.move_application, name="move"),
    path("<int:pk>/delete/", views.delete_application, name="delete"),
    path("<int:pk>/requirements/add/", views.add_requirement, name="requirement_add"),
    path("requirements/<int:pk>/", views.show_requirement, name="requirement"),
    path("requirements/<int:pk>/edit/", views.edit_requirement, name="requirement_edit"),
    path("requirements/<int:pk>/toggle/", views.toggle_requirement, name="requirement_toggle"),
    path("requirements/<int:pk>/delete/", views.delete_requirement, name="requirement_delete"),
    path("calendar/", views.manage_calendar, name="calendar_settings"),
    path("calendar/deadlines.ics", views.download_calendar, name="calendar"),
    path("calendar/feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
