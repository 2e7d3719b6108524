from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "medmatch.goals"
    verbose_name = "Goals and recommendations"
    nav_items = [("goals:recommendations", "For you"), ("goals:questionnaire", "My goals")]

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from medmatch.catalog.models import Department, Institution, Program, Specialty
        from medmatch.goals.fitting import catalog_changed

        for model in (Program, Institution, Specialty, Department):
            post_save.connect(catalog_changed, sender=model, dispatch_uid=f"goals-{model.__name__}")
            post_delete.connect(
                catalog_changed, sender=model, dispatch_uid=f"goals-{model.__name__}-delete"
            )

    def export_user_data(self, user) -> dict:
        """The student's goals as the medmatch-goals/1 JSON (``medmatch recommend`` reads it)."""
        from medmatch.goals.models import GoalProfile

        profile = GoalProfile.objects.filter(student=user).first()
        if profile is None:
            return {}
        return {
            "goals": profile.data,
            "completed_steps": profile.completed_steps,
            "updated_at": profile.updated_at.isoformat(timespec="seconds"),
        }

    # The account archive (``accounts.archive``): what another server imports.
    def archive_export(self, user, context) -> dict:
        from medmatch.goals.archive import export

        return export(user, context)

    def archive_import(self, user, data, context) -> None:
        from medmatch.goals.archive import import_

        import_(user, data, context)
