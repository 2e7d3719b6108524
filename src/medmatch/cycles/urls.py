from django.urls import path

from medmatch.cycles import views

app_name = "cycles"

urlpatterns = [
    path("practice/", views.show_practice, name="practice"),
    path("practice/new/", views.build_practice_list, name="practice_new"),
    path("practice/<int:pk>/", views.show_practice_run, name="practice_run"),
    path("practice/<int:pk>/delete/", views.delete_practice_run, name="practice_delete"),
]
