from django.urls import path

from medmatch.cycles import (
    couple_views,
    cycle_views,
    program_list_views,
    result_views,
    rol_views,
    run_views,
    views,
)

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
    # Rank lists: a student's (with supplemental lists), a couple's joint list, a program's.
    path("", rol_views.show_match_home, name="home"),
    path("cycles/<int:pk>/start/", rol_views.start_list, name="list_start"),
    path("lists/<int:pk>/", rol_views.show_list, name="list"),
    path("lists/<int:pk>/add/", rol_views.add_to_list, name="list_add"),
    path("lists/<int:pk>/move/", rol_views.move_in_list, name="list_move"),
    path("lists/<int:pk>/order/", rol_views.renumber_list, name="list_order"),
    path("lists/<int:pk>/certify/", rol_views.certify_list, name="list_certify"),
    path("lists/<int:pk>/propose/", couple_views.propose_couple, name="couple_propose"),
    path("proposals/<int:pk>/withdraw/", couple_views.withdraw_proposal, name="proposal_withdraw"),
    path("proposals/<int:pk>/answer/", couple_views.answer_proposal, name="proposal_answer"),
    path("couples/<int:pk>/", couple_views.show_couple, name="couple"),
    path("couples/<int:pk>/add/", couple_views.add_pair, name="couple_add"),
    path("couples/<int:pk>/move/", couple_views.move_pair, name="couple_move"),
    path("couples/<int:pk>/order/", couple_views.renumber_pairs, name="couple_order"),
    path("couples/<int:pk>/certify/", couple_views.certify_couple, name="couple_certify"),
    path("couples/<int:pk>/end/", couple_views.end_couple, name="couple_end"),
    path("programs/", program_list_views.list_program_lists, name="program_lists"),
    path("programs/<int:pk>/", program_list_views.show_program_list, name="program_list"),
    path("programs/<int:pk>/add/", program_list_views.add_applicant, name="program_list_add"),
    path("programs/<int:pk>/move/", program_list_views.move_applicant, name="program_list_move"),
    path(
        "programs/<int:pk>/order/",
        program_list_views.renumber_applicants,
        name="program_list_order",
    ),
    path(
        "programs/<int:pk>/import/",
        program_list_views.import_applicants,
        name="program_list_import",
    ),
    path(
        "programs/<int:pk>/certify/",
        program_list_views.certify_program_list,
        name="program_list_certify",
    ),
    # Running and publishing a cycle (administrators), and its results on match day.
    path("cycles/<int:pk>/run/", run_views.run_cycle, name="cycle_run"),
    path("cycles/<int:pk>/run/progress/", run_views.show_run_progress, name="cycle_run_progress"),
    path("cycles/<int:pk>/run/cancel/", run_views.cancel_run, name="cycle_run_cancel"),
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
