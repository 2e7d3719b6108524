from django.urls import path

from medmatch.research import views

app_name = "research"

urlpatterns = [
    path("", views.show_shortlist, name="shortlist"),
    path("add/<int:program_pk>/", views.add_to_shortlist, name="add"),
    path("items/<int:pk>/", views.show_shortlist_item, name="item"),
    path("items/<int:pk>/edit/", views.edit_shortlist_item, name="edit"),
    path("items/<int:pk>/remove/", views.remove_from_shortlist, name="remove"),
    path("compare/", views.compare_shortlisted, name="compare"),
]
