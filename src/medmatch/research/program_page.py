"""What the research app adds to a catalog program page (called from
``catalog.views.details.show_program``): the approved-review summary for everyone, and for a
logged-in student their own review (in any state), insights and contacts there."""

from medmatch.catalog.models import Program
from medmatch.research.models import Contact, Insight, Review, ShortlistItem
from medmatch.research.reviews import program_review_summary


def program_research_context(user, program: Program) -> dict:
    context = {"review_summary": program_review_summary(program)}
    if not user.is_authenticated:
        return context
    context.update(
        own_review=Review.objects.filter(author=user, program=program).first(),
        my_insights=list(Insight.objects.for_student(user).about(program)),
        my_contacts=list(Contact.objects.for_student(user).at_program(program)),
        my_item=ShortlistItem.objects.for_student(user).filter(program=program).first(),
    )
    return context
