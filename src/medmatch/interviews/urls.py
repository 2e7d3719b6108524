from django.urls import path

from medmatch.interviews import views

app_name = "interviews"

urlpatterns = [
    path("", views.show_index, name="index"),
    path("questions/", views.list_questions, name="questions"),
    path("questions/<int:pk>/edit/", views.edit_question, name="question_edit"),
    path("questions/<int:pk>/delete/", views.delete_question, name="question_delete"),
    path("questions/<int:pk>/practice/", views.practise_question, name="practice"),
    path("practice/", views.show_progress, name="progress"),
    path("practice/<int:pk>/", views.show_attempt, name="attempt"),
    path("practice/<int:pk>/delete/", views.delete_attempt, name="attempt_delete"),
    path("schedule/", views.show_schedule, name="schedule"),
    path("schedule/add/", views.add_interview, name="interview_add"),
    path("schedule/interviews.ics", views.download_interviews, name="calendar"),
    path("<int:pk>/", views.show_interview, name="interview"),
    path("<int:pk>/edit/", views.edit_interview, name="interview_edit"),
    path("<int:pk>/delete/", views.delete_interview, name="interview_delete"),
    path("<int:pk>/impression/", views.record_impression, name="impression"),
    path("<int:pk>/thank-you/", views.edit_thank_you, name="thank_you"),
]
