from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "medmatch.research"
    verbose_name = "Research: shortlist and notes"
    nav_items = [("research:shortlist", "Shortlist")]

    def export_user_data(self, user) -> dict:
        from medmatch.research.models import ShortlistItem, Tag

        items = ShortlistItem.objects.for_student(user).with_program().order_by("created_at", "pk")
        return {
            "shortlist": [item.to_export() for item in items],
            "tags": [tag.name for tag in Tag.objects.for_student(user)],
        }
