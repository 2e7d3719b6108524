from django.urls import path

from medmatch.goals import views

app_name = "goals"

urlpatterns = [
    path("", views.show_recommendations, name="recommendations"),
    path("why-not/", views.explain_program, name="why_not"),
    path("weights/", views.save_weights, name="save_weights"),
    path("questionnaire/", views.start_questionnaire, name="questionnaire"),
    path("questionnaire/<slug:step>/", views.answer_step, name="step"),
]
