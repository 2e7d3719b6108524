from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "medmatch.letters"
    verbose_name = "Letters of recommendation"
    nav_items = [("letters:index", "Letters")]

    def ready(self):
        # The applications dashboard shows late and at-risk letter requests (an extension point
        # of the applications app, which never imports letters).
        from medmatch.applications.extensions import register_dashboard_panel
        from medmatch.letters.planning import dashboard_panel_context

        register_dashboard_panel(dashboard_panel_context)

        from medmatch.letters import signals  # noqa: F401 — file clean-up, terms fixed by reminders

    def export_user_data(self, user) -> dict:
        from medmatch.letters.export import export_letters

        return export_letters(user)

    # The account archive (``accounts.archive``): what another server imports.
    def archive_export(self, user, context) -> dict:
        from medmatch.letters.archive import export

        return export(user, context)

    def archive_import(self, user, data, context) -> None:
        from medmatch.letters.archive import import_

        import_(user, data, context)

    def archive_records(self, user) -> dict:
        from medmatch.letters.archive import records

        return records(user)
