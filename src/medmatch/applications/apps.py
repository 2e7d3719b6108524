from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "medmatch.applications"
    verbose_name = "Applications, CV and personal statements"
