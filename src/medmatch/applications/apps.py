from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "medmatch.applications"
    verbose_name = "Applications, CV and personal statements"
    nav_items = [
        ("applications:dashboard", "Next steps"),
        ("applications:board", "Applications"),
    ]

    def ready(self):
        # The program briefing (research, a layer below) is written for one application: say
        # which rows those are, so that research never imports applications.
        from medmatch.applications.models import Application
        from medmatch.research.briefing import register_briefing_subjects

        register_briefing_subjects(Application.objects.all)

    def export_user_data(self, user) -> dict:
        from medmatch.applications.models import (
            Application,
            CalendarFeed,
            CVEntry,
            Statement,
            TailoredCV,
        )

        applications = (
            Application.objects.for_student(user)
            .with_program()
            .prefetch_related("status_changes", "requirements")
            .order_by("created_at", "pk")
        )
        feed = CalendarFeed.objects.filter(student=user).first()
        return {
            "applications": [application.to_export() for application in applications],
            # The feed's secret is never exported (only its hash is stored anyway).
            "calendar_feed": {"created_at": feed.created_at.isoformat(timespec="seconds")}
            if feed
            else None,
            "cv_entries": [entry.to_export() for entry in CVEntry.objects.for_student(user)],
            "tailored_cvs": [
                tailored.to_export()
                for tailored in TailoredCV.objects.filter(application__student=user)
                .select_related("application")
                .order_by("pk")
            ],
            # Every version of every statement: the history is the student's work too.
            "statements": [
                statement.to_export()
                for statement in Statement.objects.for_student(user)
                .select_related("application")
                .prefetch_related("versions")
                .order_by("created_at", "pk")
            ],
        }

    # The account archive (``accounts.archive``): what another server imports.
    def archive_export(self, user, context) -> dict:
        from medmatch.applications.archive import export

        return export(user, context)

    def archive_import(self, user, data, context) -> None:
        from medmatch.applications.archive import import_

        import_(user, data, context)

    def archive_records(self, user) -> dict:
        from medmatch.applications.archive import records

        return records(user)
