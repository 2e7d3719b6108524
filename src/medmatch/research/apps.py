from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "medmatch.research"
    verbose_name = "Research: shortlist and notes"
