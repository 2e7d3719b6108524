from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "medmatch.research"
    verbose_name = "Research: shortlist and notes"
    nav_items = [("research:shortlist", "Shortlist"), ("research:contacts", "Contacts")]

    def ready(self):
        # Extension points of lower apps, filled here so that they never import research:
        # the catalog's program page shows the reviews and the student's own research, and the
        # fit counts the facts the student found out as their own information.
        from medmatch.catalog.extensions import register_program_page_panel
        from medmatch.goals.fitting import register_student_facts
        from medmatch.research.fit import answered_facts
        from medmatch.research.program_page import program_research_context

        register_program_page_panel(program_research_context)
        register_student_facts(answered_facts)

    def export_user_data(self, user) -> dict:
        from medmatch.research.models import Contact, OpenQuestion, Review, ShortlistItem, Tag

        items = ShortlistItem.objects.for_student(user).with_program().order_by("created_at", "pk")
        contacts = (
            Contact.objects.for_student(user)
            .order_by("created_at", "pk")
            .prefetch_related("conversations__insights")
        )
        # A user's reviews go with the account: deleting it deletes them (they are the author's
        # words, and an approved review whose author is gone could no longer be verified or
        # corrected). The export keeps a copy.
        reviews = Review.objects.filter(author=user).order_by("created_at", "pk")
        questions = OpenQuestion.objects.for_student(user).order_by("program_id", "pk")
        return {
            "shortlist": [item.to_export() for item in items],
            "tags": [tag.name for tag in Tag.objects.for_student(user)],
            "contacts": [contact.to_export() for contact in contacts],
            "reviews": [review.to_export() for review in reviews],
            "open_questions": [question.to_export() for question in questions],
        }

    # The account archive (``accounts.archive``): what another server imports.
    def archive_export(self, user, context) -> dict:
        from medmatch.research.archive import export

        return export(user, context)

    def archive_import(self, user, data, context) -> None:
        from medmatch.research.archive import import_

        import_(user, data, context)

    def archive_records(self, user) -> dict:
        from medmatch.research.archive import records

        return records(user)
