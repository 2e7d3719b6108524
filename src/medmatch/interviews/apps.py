from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "medmatch.interviews"
    verbose_name = "Interviews: practice and schedule"
