from django.urls import path

from medmatch.contributions import views

app_name = "contributions"

urlpatterns = [
    path("programs/<int:program_pk>/propose/", views.propose_fact, name="propose"),
    path("programs/<int:program_pk>/edit/", views.edit_program_facts, name="edit"),
    path("programs/<int:program_pk>/history/", views.show_history, name="history"),
    path("programs/mine/", views.list_my_programs, name="my_programs"),
    path(
        "institutions/<int:institution_pk>/programs/new/",
        views.create_program,
        name="create_program",
    ),
    path("proposals/", views.list_proposals, name="proposals"),
    path("coordinator/", views.show_coordinator, name="coordinator"),
    path(
        "institutions/<int:institution_pk>/coordinate/",
        views.request_coordinator,
        name="coordinator_request",
    ),
]
