from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "medmatch.letters"
    verbose_name = "Letters of recommendation"
    nav_items = [("letters:index", "Letters")]

    def ready(self):
        from medmatch.letters import signals  # noqa: F401 — file clean-up, terms fixed by reminders

    def export_user_data(self, user) -> dict:
        from medmatch.letters.export import export_letters

        return export_letters(user)
