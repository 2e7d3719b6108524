from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "medmatch.letters"
    verbose_name = "Letters of recommendation"
    nav_items = [("letters:index", "Letters")]

    def ready(self):
        from medmatch.letters import signals  # noqa: F401 — file clean-up, terms fixed by reminders
        from medmatch.letters.tasks import send_reminders
        from medmatch.lib.scans import register_reminder_scan

        # The recommender reminders and the students' digests join the worker's hourly scans.
        register_reminder_scan(send_reminders)

    def export_user_data(self, user) -> dict:
        from medmatch.letters.export import export_letters

        return export_letters(user)
