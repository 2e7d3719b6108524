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
    # CV builder and the CV tailored for one application
    path("cv/", views.show_cv, name="cv"),
    path("cv/add/", views.add_cv_entry, name="cv_entry_add"),
    path("cv/cv.pdf", views.download_cv, name="cv_pdf"),
    path("cv/<int:pk>/edit/", views.edit_cv_entry, name="cv_entry_edit"),
    path("cv/<int:pk>/move/", views.move_cv_entry, name="cv_entry_move"),
    path("cv/<int:pk>/delete/", views.delete_cv_entry, name="cv_entry_delete"),
    path("<int:pk>/cv/", views.show_tailored_cv, name="tailored_cv"),
    path("<int:pk>/cv/change/", views.change_tailored_cv, name="tailored_cv_change"),
    path("<int:pk>/cv.pdf", views.download_tailored_cv, name="tailored_cv_pdf"),
    # Personal statements
    path("statements/", views.list_statements, name="statements"),
    path("statements/new/", views.create_statement, name="statement_create"),
    path("<int:pk>/statement/", views.start_application_statement, name="statement_start"),
    path("statements/<int:pk>/", views.edit_statement, name="statement"),
    path("statements/<int:pk>/analyze/", views.analyze_statement, name="statement_analyze"),
    path("statements/<int:pk>/versions/", views.show_versions, name="statement_versions"),
    path("statements/<int:pk>/diff/", views.show_diff, name="statement_diff"),
    path("statements/<int:pk>/delete/", views.delete_statement, name="statement_delete"),
    path(
        "statements/versions/<int:pk>/restore/",
        views.restore_version,
        name="statement_version_restore",
    ),
]
