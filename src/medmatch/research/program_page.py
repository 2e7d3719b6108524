"""What the research app adds to a catalog program page (a program-page panel, registered in
``ResearchConfig.ready`` through ``catalog.extensions.register_program_page_panel``): the
approved-review summary for everyone, and for a logged-in student their own review (in any
state), insights and contacts there."""

from medmatch.catalog.facts import program_facts
from medmatch.catalog.models import Program
from medmatch.research.models import Contact, Insight, Review, ShortlistItem
from medmatch.research.own_information import own_answers, with_own_information
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
    answers = own_answers(user, [program.pk]).get(program.pk)
    if answers:
        # Replaces the page's "sheet" (the caller merges this context after its own): the
        # student's answers fill the facts nobody published, for this student only.
        context["sheet"] = with_own_information(program_facts(program), answers)
    return context
