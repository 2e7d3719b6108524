"""A student's network and what it taught them, read only: contacts, the conversations with them
(each with its insights), and the open questions about the shortlisted programs. Every object
comes through the research pages' access helpers (another student's id is a 404); the open
questions are brought up to date first by the pages' own ``open_questions_refresh``, so the list
is the one the questions page shows."""

import datetime

from django.db.models import Count
from ninja import Field, Query, Router, Schema

from medmatch.api.auth import student_auth
from medmatch.api.pagination import PageParams, keyset_page
from medmatch.api.schemas import responses
from medmatch.lib.forms import MAX_INT
from medmatch.research.models import Contact, Conversation, Insight, OpenQuestion
from medmatch.research.services import open_questions_refresh
from medmatch.research.views.contacts import get_contact, get_conversation
from medmatch.research.views.questions import get_question

router = Router(tags=["contacts and questions"], auth=student_auth("research"))


class ProgramRef(Schema):
    id: int
    title: str
    institution: str


class InstitutionRef(Schema):
    id: int
    name: str


class InsightOut(Schema):
    id: int
    aspect: str
    rating: int  # 1..5
    confidence: str  # low, medium, high
    note: str
    doubtful: bool  # low confidence or a low rating: worth checking with someone else


class ContactRef(Schema):
    id: int
    name: str


class ConversationOut(Schema):
    id: int
    contact: ContactRef
    date: datetime.date
    channel: str
    summary: str
    follow_up_on: datetime.date | None  # null: no follow-up planned
    follow_up_done: bool
    insights: list[InsightOut]
    created_at: datetime.datetime


class ConversationList(Schema):
    items: list[ConversationOut]
    next_cursor: str | None


class ContactOut(Schema):
    id: int
    name: str
    role: str
    program: ProgramRef | None  # null: not at one program (see institution)
    institution: InstitutionRef | None
    how_met: str
    email: str
    notes: str
    conversation_count: int
    created_at: datetime.datetime


class ContactDetail(ContactOut):
    conversations: list[ConversationOut]  # newest first


class ContactList(Schema):
    items: list[ContactOut]
    next_cursor: str | None


class ConversationFilters(PageParams):
    follow_up_due: bool = Field(
        False, description="Only conversations with a follow-up planned and not done."
    )


class QuestionOut(Schema):
    id: int
    program: ProgramRef
    fact_key: str  # the unknown fact it asks about, or "insight"
    insight_id: int | None  # the doubtful insight it checks; null for a fact
    question: str
    answered: bool
    answer: str
    value: float | bool | str | None  # the typed answer the fit score uses; null: none
    answered_on: datetime.date | None
    created_at: datetime.datetime


class QuestionList(Schema):
    items: list[QuestionOut]
    next_cursor: str | None


class QuestionFilters(PageParams):
    answered: bool | None = Field(None, description="Only answered (true) or open (false) ones.")
    program_id: int | None = Field(None, ge=1, le=MAX_INT, description="Only this program's.")


def _program(program) -> dict | None:
    if program is None:
        return None
    return {"id": program.pk, "title": program.title, "institution": program.institution.name}


def _insight(insight: Insight) -> dict:
    return {
        "id": insight.pk,
        "aspect": insight.aspect,
        "rating": insight.rating,
        "confidence": insight.confidence,
        "note": insight.note,
        "doubtful": insight.doubtful,
    }


def _conversation(conversation: Conversation) -> dict:
    return {
        "id": conversation.pk,
        "contact": {"id": conversation.contact_id, "name": conversation.contact.name},
        "date": conversation.date,
        "channel": conversation.channel,
        "summary": conversation.summary,
        "follow_up_on": conversation.follow_up_on,
        "follow_up_done": conversation.follow_up_done,
        "insights": [_insight(i) for i in conversation.insights.all()],
        "created_at": conversation.created_at,
    }


def _contact(contact: Contact, conversation_count: int) -> dict:
    institution = contact.institution
    return {
        "id": contact.pk,
        "name": contact.name,
        "role": contact.role,
        "program": _program(contact.program),
        "institution": {"id": institution.pk, "name": institution.name} if institution else None,
        "how_met": contact.how_met,
        "email": contact.email,
        "notes": contact.notes,
        "conversation_count": conversation_count,
        "created_at": contact.created_at,
    }


def _question(question: OpenQuestion) -> dict:
    return {
        "id": question.pk,
        "program": _program(question.program),
        "fact_key": question.fact_key,
        "insight_id": question.insight_id,
        "question": question.question,
        "answered": question.answered,
        "answer": question.answer,
        "value": question.typed_value,
        "answered_on": question.answered_on,
        "created_at": question.created_at,
    }


@router.get("/contacts", response=responses(ContactList), url_name="contacts")
def list_contacts(request, filters: Query[PageParams]):
    """Your contacts (residents, alumni, faculty, coordinators), in the order you added them."""
    contacts = (
        Contact.objects.for_student(request.user)
        .select_related("program__institution", "institution")
        .annotate(conversation_total=Count("conversations"))
    )
    page = keyset_page(contacts, filters, name="contacts", key="pk")
    return {
        "items": [_contact(c, c.conversation_total) for c in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get("/contacts/{int:pk}", response=responses(ContactDetail), url_name="contact")
def show_contact(request, pk: int):
    """One contact with every conversation (newest first) and what each taught you."""
    contact = get_contact(request, pk)
    conversations = list(
        contact.conversations.prefetch_related("insights").order_by("-date", "-pk")
    )
    for conversation in conversations:
        conversation.contact = contact
    return {
        **_contact(contact, len(conversations)),
        "conversations": [_conversation(c) for c in conversations],
    }


@router.get("/conversations", response=responses(ConversationList), url_name="conversations")
def list_conversations(request, filters: Query[ConversationFilters]):
    """Your conversations, in the order they happened (by date); ``follow_up_due`` lists the
    follow-ups still to do."""
    conversations = Conversation.objects.for_student(request.user)
    if filters.follow_up_due:
        conversations = conversations.follow_ups_due()
    conversations = conversations.select_related("contact").prefetch_related("insights")
    page = keyset_page(conversations, filters, name="conversations", key="date")
    return {
        "items": [_conversation(c) for c in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get("/conversations/{int:pk}", response=responses(ConversationOut), url_name="conversation")
def show_conversation(request, pk: int):
    """One conversation with its insights."""
    return _conversation(get_conversation(request, pk))


@router.get("/open-questions", response=responses(QuestionList), url_name="open_questions")
def list_open_questions(request, filters: Query[QuestionFilters]):
    """What you do not know yet about your shortlisted programs (unknown facts, doubtful
    insights) and your answers, as the questions page lists them."""
    open_questions_refresh(student=request.user)
    questions = OpenQuestion.objects.for_student(request.user).select_related(
        "program__institution"
    )
    if filters.answered is not None:
        questions = questions.filter(answered=filters.answered)
    if filters.program_id is not None:
        questions = questions.filter(program_id=filters.program_id)
    page = keyset_page(questions, filters, name="open-questions", key="pk")
    return {"items": [_question(q) for q in page.items], "next_cursor": page.next_cursor}


@router.get("/open-questions/{int:pk}", response=responses(QuestionOut), url_name="open_question")
def show_open_question(request, pk: int):
    """One open (or answered) question."""
    return _question(get_question(request, pk))
