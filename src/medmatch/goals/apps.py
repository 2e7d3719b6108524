from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "medmatch.goals"
    verbose_name = "Goals and recommendations"
