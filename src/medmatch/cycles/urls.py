"""The match's addresses, one list per page module (as the workspace app does): the practice
match, cycles and their runs for administrators, rank lists for students, couples and programs,
and match-day results."""

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
    *views.urlpatterns,
    *cycle_views.urlpatterns,
    *rol_views.urlpatterns,
    *couple_views.urlpatterns,
    *program_list_views.urlpatterns,
    *run_views.urlpatterns,
    *result_views.urlpatterns,
]
