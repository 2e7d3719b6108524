from django.urls import path

from medmatch.cycles import cycle_views, result_views, run_views, views

app_name = "cycles"

urlpatterns = [
    path("practice/", views.show_practice, name="practice"),
    path("practice/new/", views.build_practice_list, name="practice_new"),
    path("practice/<int:pk>/", views.show_practice_run, name="practice_run"),
    path("practice/<int:pk>/delete/", views.delete_practice_run, name="practice_delete"),
    # Match cycles, for match administrators.
    path("cycles/", cycle_views.list_cycles, name="cycles"),
    path("cycles/new/", cycle_views.create_cycle, name="cycle_new"),
    path("cycles/<int:pk>/", cycle_views.show_cycle, name="cycle"),
    path("cycles/<int:pk>/edit/", cycle_views.edit_cycle, name="cycle_edit"),
    path("cycles/<int:pk>/programs/add/", cycle_views.add_cycle_program, name="cycle_program_add"),
    path(
        "cycles/<int:pk>/programs/add-by-specialty/",
        cycle_views.add_cycle_programs_by_specialty,
        name="cycle_programs_bulk",
    ),
    path(
        "cycles/<int:pk>/programs/<int:cpk>/remove/",
        cycle_views.remove_cycle_program,
        name="cycle_program_remove",
    ),
    path("cycles/<int:pk>/open/", cycle_views.open_cycle, name="cycle_open"),
    path("cycles/<int:pk>/lock/", cycle_views.lock_cycle, name="cycle_lock"),
    # Running and publishing a cycle (administrators), and its results on match day.
    path("cycles/<int:pk>/run/", run_views.run_cycle, name="cycle_run"),
    path("cycles/<int:pk>/run/progress/", run_views.show_run_progress, name="cycle_run_progress"),
    path("cycles/<int:pk>/publish/", run_views.publish_cycle, name="cycle_publish"),
    path("results/", result_views.list_results, name="results"),
    path("results/<int:pk>/", result_views.show_result, name="result"),
    path(
        "results/<int:pk>/programs/<int:cpk>/",
        result_views.show_program_result,
        name="result_program",
    ),
    path("results/<int:pk>/unfilled/", result_views.show_unfilled, name="result_unfilled"),
]
