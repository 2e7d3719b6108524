from django.apps import AppConfig


class CyclesConfig(AppConfig):
    name = "medmatch.cycles"
    verbose_name = "Match: the practice match"
    nav_items = [("cycles:home", "Match")]

    def export_user_data(self, user) -> dict:
        from medmatch.cycles.models import PracticeRun
        from medmatch.cycles.rank_selectors import rank_lists_export

        runs = PracticeRun.objects.for_student(user).order_by("created_at", "pk")
        return {"practice_runs": [run.to_export() for run in runs], **rank_lists_export(user)}
