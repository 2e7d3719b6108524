from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "medmatch.letters"
    verbose_name = "Letters of recommendation"
