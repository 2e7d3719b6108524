from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "medmatch.applications"
    verbose_name = "Applications, CV and personal statements"
    nav_items = [("applications:dashboard", "Next steps"), ("applications:board", "Applications")]

    def export_user_data(self, user) -> dict:
        from medmatch.applications.models import Application, CalendarFeed

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
        }
