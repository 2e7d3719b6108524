"""Writes that touch several research rows together: the shortlist with its tags, a
conversation with its insights, the open questions of a student's programs, a review."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from medmatch.catalog.models import Program
from medmatch.research.models import (
    Contact,
    Conversation,
    Insight,
    OpenQuestion,
    Review,
    ShortlistItem,
    Tag,
)
from medmatch.research.questions import FACTS, INSIGHT, insight_question, unknown_facts


@transaction.atomic
def shortlist_add(*, student, program: Program) -> tuple[ShortlistItem, bool]:
    """Save ``program`` to the student's shortlist; adding it twice keeps the first item."""
    return ShortlistItem.objects.get_or_create(student=student, program=program)


@transaction.atomic
def shortlist_update(
    *, item: ShortlistItem, note: str, tags: list[str], rating: int | None
) -> ShortlistItem:
    item.note = note
    item.rating = rating
    item.save(update_fields=["note", "rating", "updated_at"])
    item.tags.set([_tag(item.student, name) for name in tags])
    _drop_unused_tags(item.student)
    return item


@transaction.atomic
def shortlist_remove(*, item: ShortlistItem) -> None:
    student = item.student
    item.delete()
    _drop_unused_tags(student)


def _tag(student, name: str) -> Tag:
    tag = Tag.objects.filter(student=student, name__iexact=name).first()
    return tag or Tag.objects.create(student=student, name=name)


def _drop_unused_tags(student) -> None:
    # A tag exists only while some item carries it, so the tag filter never offers an empty list.
    Tag.objects.filter(student=student, items__isnull=True).delete()


# --- conversations, open questions, reviews (issue 7) ------------------------------------------


@transaction.atomic
def conversation_save(
    *,
    contact: Contact,
    conversation: Conversation | None = None,
    insights: dict[str, dict],
    **fields,
) -> Conversation:
    """Create or update a conversation and replace its insights.

    ``insights`` maps an aspect to ``{"rating", "confidence", "note"}``; an aspect left out has
    no insight (one that was there is removed, with any question it raised).
    """
    if conversation is None:
        conversation = Conversation(contact=contact)
    for name, value in fields.items():
        setattr(conversation, name, value)
    conversation.save()
    conversation.insights.exclude(aspect__in=insights).delete()
    for aspect, values in insights.items():
        Insight.objects.update_or_create(conversation=conversation, aspect=aspect, defaults=values)
    # A settled rating answers its fact's open question at once (the program page, compare and
    # the fit then show it); a doubtful one raises a question.
    if contact.program_id:
        programs = [contact.program_id]
    else:
        programs = Program.objects.filter(
            institution=contact.institution_id, shortlist_items__student=contact.student_id
        )
    open_questions_refresh(student=contact.student, programs=programs)
    return conversation


@transaction.atomic
def open_questions_refresh(*, student, programs: Iterable[Program] | None = None) -> None:
    """Make sure every unknown fact and every doubtful insight about these programs (default:
    the student's shortlist) has one open question. Idempotent.

    An unanswered question whose fact the catalog has since published, or whose insight is no
    longer doubtful (or gone), is removed: it no longer needs asking. Answers are never removed.
    """
    if programs is None:
        programs = Program.objects.filter(shortlist_items__student=student)
    programs = list(
        Program.objects.filter(pk__in=[getattr(p, "pk", p) for p in programs]).prefetch_related(
            "accreditations"
        )
    )
    if not programs:
        return
    existing = OpenQuestion.objects.filter(student=student, program__in=programs)
    wanted: list[OpenQuestion] = []
    answered: list[OpenQuestion] = []
    stale: list[int] = []
    have = {(q.program_id, q.fact_key, q.insight_id): q for q in existing}
    for program in programs:
        unknown = {fact.key: fact for fact in unknown_facts(program)}
        insights = list(
            Insight.objects.for_student(student)
            .about(program)
            .select_related("conversation__contact")
        )
        doubtful = {insight.pk: insight for insight in insights if insight.doubtful}
        # A contact's settled rating answers the matching fact's question (mentorship rated 4/5:
        # mentorship is organised there), so it is no longer open and feeds the fit.
        settled: dict[str, Insight] = {}
        for insight in insights:
            key = INSIGHT_FACTS.get(insight.aspect)
            if key in unknown and not insight.doubtful and key not in settled:
                settled[key] = insight
        for key, fact in unknown.items():
            question = have.get((program.pk, key, None))
            if key in settled and (question is None or not question.answered):
                question = question or OpenQuestion(
                    student=student, program=program, fact_key=key, question=fact.question
                )
                _answer_from_insight(question, settled[key])
                answered.append(question)
            elif question is None:
                wanted.append(
                    OpenQuestion(
                        student=student, program=program, fact_key=key, question=fact.question
                    )
                )
        for insight in doubtful.values():
            if not any(key[2] == insight.pk for key in have):
                wanted.append(
                    OpenQuestion(
                        student=student,
                        program=program,
                        fact_key=INSIGHT,
                        insight=insight,
                        question=insight_question(insight),
                    )
                )
        for (program_id, key, insight_id), question in have.items():
            if program_id != program.pk or question.answered:
                continue
            published = insight_id is None and key in FACTS and key not in unknown
            settled_insight = insight_id is not None and insight_id not in doubtful
            if published or settled_insight:
                stale.append(question.pk)
    for question in answered:
        question.save()
    OpenQuestion.objects.filter(pk__in=stale).delete()
    OpenQuestion.objects.bulk_create(wanted, ignore_conflicts=True)


# Insight aspect -> the fact question a settled rating of it answers.
INSIGHT_FACTS = {"mentorship": "mentorship"}


def _answer_from_insight(question: OpenQuestion, insight: Insight) -> None:
    contact = insight.conversation.contact.name
    aspect = insight.get_aspect_display().lower()
    note = f": {insight.note.strip()}" if insight.note.strip() else ""
    question.answered = True
    question.answer = f"{contact} rated {aspect} {insight.rating} of 5{note}"
    question.answer_number = None
    question.answer_flag = True
    question.answer_choice = ""
    question.answered_on = timezone.localdate()


@transaction.atomic
def open_question_answer(*, question: OpenQuestion, answer: str, value=None) -> OpenQuestion:
    """Record the student's answer; a typed ``value`` becomes their own fact for the fit score."""
    question.answered = True
    question.answer = answer
    is_flag = isinstance(value, bool)
    question.answer_number = (
        float(value) if isinstance(value, int | float) and not is_flag else None
    )
    question.answer_flag = value if is_flag else None
    question.answer_choice = value if isinstance(value, str) else ""
    question.answered_on = timezone.localdate()
    question.save()
    return question


@transaction.atomic
def open_question_reopen(*, question: OpenQuestion) -> OpenQuestion:
    question.answered = False
    question.answer = ""
    question.answer_number = None
    question.answer_flag = None
    question.answer_choice = ""
    question.answered_on = None
    question.save()
    return question


@transaction.atomic
def review_save(*, author, program: Program, **fields) -> Review:
    """Create or edit the author's review of a program. Any edit goes back to moderation and
    loses the verification: staff approved and checked the old text, not this one."""
    review = Review.objects.filter(author=author, program=program).first() or Review(
        author=author, program=program
    )
    for name, value in fields.items():
        setattr(review, name, value)
    review.status = Review.Status.PENDING
    review.moderated_at = None
    review.verified = False
    review.verified_by = None
    review.verified_at = None
    review.verified_how = ""
    review.save()
    return review
