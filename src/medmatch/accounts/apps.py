from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "medmatch.accounts"
    verbose_name = "Accounts"
