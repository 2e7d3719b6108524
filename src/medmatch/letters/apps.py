from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "medmatch.letters"
    verbose_name = "Letters of recommendation"
    nav_items = [("letters:index", "Letters")]

    def ready(self):
        from medmatch.letters import signals  # noqa: F401 — connects the file clean-up

    def export_user_data(self, user) -> dict:
        from medmatch.letters.export import export_letters

        return export_letters(user)
