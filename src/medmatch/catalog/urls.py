from django.urls import path

from medmatch.catalog import views

app_name = "catalog"

urlpatterns = [
    path("programs/", views.list_programs, name="programs"),
    path("programs/<int:pk>/", views.show_program, name="program"),
    path("hospitals/", views.list_institutions, name="institutions"),
    path("hospitals/<int:pk>/", views.show_institution, name="institution"),
    path("compare/", views.compare_programs, name="compare"),
    path("sources/", views.list_sources, name="sources"),
]
