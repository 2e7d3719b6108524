"""A student's network and what it taught them: contacts, the conversations with them (each with
its insights), and the open questions about the shortlisted programs — read, and written through
the pages' own forms and services (the same checks, the same messages). Every object comes through
the research pages' access helpers (another student's id is a 404); the open questions are
brought up to date first by the pages' own ``open_questions_refresh``, so the list is the one the
questions page shows."""

import datetime

from django.db.models import Count
from ninja import Field, Query, Router, Schema, Status

from medmatch.api.auth import student_auth
from medmatch.api.errors import ApiError, form_fields
from medmatch.api.forms import form_data, patched
from medmatch.api.pagination import PageParams, keyset_page
from medmatch.api.schemas import ERRORS, responses
from medmatch.lib.forms import MAX_INT
from medmatch.research.forms.contacts import ContactForm, ConversationForm
from medmatch.research.forms.questions import AnswerForm
from medmatch.research.models import Aspect, Contact, Conversation, Insight, OpenQuestion
from medmatch.research.services import (
    conversation_save,
    open_question_answer,
    open_question_reopen,
    open_questions_refresh,
)
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


class ContactIn(Schema):
    """A contact; ``program_id`` and ``institution_id`` must be among your shortlisted or applied
    programs and their hospitals, as on the page."""

    name: str = Field(..., max_length=200)
    role: str = Field("resident", description="resident, alumnus, faculty, coordinator, other.")
    program_id: int | None = Field(None, ge=1, le=MAX_INT)
    institution_id: int | None = Field(None, ge=1, le=MAX_INT)
    how_met: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    notes: str = Field("", max_length=20_000)


class ContactChange(Schema):
    """Only the fields sent change; null clears ``program_id`` and ``institution_id``."""

    name: str | None = Field(None, max_length=200)
    role: str | None = None
    program_id: int | None = Field(None, ge=1, le=MAX_INT)
    institution_id: int | None = Field(None, ge=1, le=MAX_INT)
    how_met: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    notes: str | None = Field(None, max_length=20_000)


class InsightIn(Schema):
    aspect: str = Field(..., description="teaching, mentorship, workload, culture, autonomy.")
    # No bounds here: the page's form checks them and says so in its own words.
    rating: int = Field(..., description="1 to 5.")
    confidence: str = Field("medium", description="low, medium, high.")
    note: str = Field("", max_length=20_000)


class ConversationIn(Schema):
    date: datetime.date
    channel: str = Field("video", description="in_person, video, phone, email, message, event.")
    summary: str = Field("", max_length=20_000)
    follow_up_on: datetime.date | None = None
    follow_up_done: bool = False
    insights: list[InsightIn] = Field(
        [], max_length=len(Aspect), description="At most one per aspect."
    )


class ConversationChange(Schema):
    """Only the fields sent change; ``insights``, when sent, replaces them all ([] removes them)."""

    date: datetime.date | None = None
    channel: str | None = None
    summary: str | None = Field(None, max_length=20_000)
    follow_up_on: datetime.date | None = None
    follow_up_done: bool | None = None
    insights: list[InsightIn] | None = Field(None, max_length=len(Aspect))


class AnswerIn(Schema):
    answer: str = Field("", max_length=20_000, description="What you learned, and from whom.")
    value: float | bool | str | None = Field(
        None,
        description="For a fact: the typed answer that counts in your fit score (a number, "
        "true/false, or one of the fact's choices); null: words only.",
    )


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


# The API's names of the contact page's fields: the links by id.
CONTACT_FIELDS = ["name", "role", "program_id", "institution_id", "how_met", "email", "notes"]


def _contact_form(request, values: dict, contact: Contact) -> ContactForm:
    data = form_data(
        {
            "name": values["name"],
            "role": values["role"],
            "program": values["program_id"],
            "institution": values["institution_id"],
            "how_met": values["how_met"],
            "email": values["email"],
            "notes": values["notes"],
        }
    )
    form = ContactForm(data, student=request.user, instance=contact)
    if not form.is_valid():
        raise ApiError(422, "The contact was not saved.", form_fields(form))
    return form


def _contact_out(request, pk: int) -> dict:
    contact = get_contact(request, pk)
    return _contact(contact, contact.conversations.count())


@router.post("/contacts", response=responses(ContactOut, 201), url_name="contact_add")
def add_contact(request, payload: ContactIn):
    """Add a contact, through the contacts page's form."""
    form = _contact_form(request, payload.model_dump(), Contact(student=request.user))
    contact = form.save()
    return Status(201, _contact_out(request, contact.pk))


@router.patch("/contacts/{int:pk}", response=responses(ContactOut), url_name="contact_edit")
def change_contact(request, pk: int, payload: ContactChange):
    """Change a contact; the fields not sent keep their values."""
    contact = get_contact(request, pk)
    current = {name: getattr(contact, name) for name in CONTACT_FIELDS}
    values = patched(current, payload, clearable={"program_id", "institution_id"})
    _contact_form(request, values, contact).save()
    return _contact_out(request, pk)


@router.delete("/contacts/{int:pk}", response={204: None, **ERRORS}, url_name="contact_delete")
def delete_contact(request, pk: int):
    """Delete a contact and your conversations with them."""
    get_contact(request, pk).delete()
    return Status(204, None)


def _conversation_form(values: dict, insights: list[dict], conversation=None) -> ConversationForm:
    fields = {
        "date": values["date"],
        "channel": values["channel"],
        "summary": values["summary"],
        "follow_up_on": values["follow_up_on"],
        "follow_up_done": values["follow_up_done"],
    }
    seen = set()
    for insight in insights:
        aspect = insight["aspect"]
        if aspect not in Aspect.values:
            reason = f"“{aspect}” is not one of {', '.join(Aspect.values)}"
            raise ApiError(422, f"insights: {reason}.", [{"field": "insights", "reason": reason}])
        if aspect in seen:
            reason = f"{aspect} is given twice; give each aspect once"
            raise ApiError(422, f"insights: {reason}.", [{"field": "insights", "reason": reason}])
        seen.add(aspect)
        fields[f"{aspect}_rating"] = insight["rating"]
        fields[f"{aspect}_confidence"] = insight["confidence"]
        fields[f"{aspect}_note"] = insight["note"]
    form = ConversationForm(form_data(fields), instance=conversation)
    if not form.is_valid():
        raise ApiError(422, "The conversation was not saved.", form_fields(form))
    return form


def _conversation_out(request, pk: int) -> dict:
    return _conversation(get_conversation(request, pk))


@router.post(
    "/contacts/{int:pk}/conversations",
    response=responses(ConversationOut, 201),
    url_name="conversation_add",
)
def add_conversation(request, pk: int, payload: ConversationIn):
    """Record a conversation with a contact and what it taught you, per aspect. A settled
    rating answers its fact's open question; a doubtful one raises a question."""
    contact = get_contact(request, pk)
    values = payload.model_dump()
    form = _conversation_form(values, values["insights"])
    conversation = conversation_save(
        contact=contact, insights=form.insights(), **form.conversation_fields()
    )
    return Status(201, _conversation_out(request, conversation.pk))


@router.patch(
    "/conversations/{int:pk}", response=responses(ConversationOut), url_name="conversation_edit"
)
def change_conversation(request, pk: int, payload: ConversationChange):
    """Change a conversation; the fields not sent keep their values, and ``insights`` (when
    sent) replaces them all."""
    conversation = get_conversation(request, pk)
    current = {name: getattr(conversation, name) for name in ConversationForm.Meta.fields}
    values = patched(current, payload, clearable={"follow_up_on"})
    insights = payload.insights
    if insights is None:
        insights = [
            {"aspect": i.aspect, "rating": i.rating, "confidence": i.confidence, "note": i.note}
            for i in conversation.insights.all()
        ]
    form = _conversation_form(values, insights, conversation)
    conversation_save(
        contact=conversation.contact,
        conversation=conversation,
        insights=form.insights(),
        **form.conversation_fields(),
    )
    return _conversation_out(request, pk)


@router.delete(
    "/conversations/{int:pk}", response={204: None, **ERRORS}, url_name="conversation_delete"
)
def delete_conversation(request, pk: int):
    """Delete a conversation and its insights."""
    get_conversation(request, pk).delete()
    return Status(204, None)


@router.post(
    "/open-questions/{int:pk}/answer",
    response=responses(QuestionOut),
    url_name="open_question_answer",
)
def answer_open_question(request, pk: int, payload: AnswerIn):
    """Answer a question through the questions page's form: words, and for a fact a typed
    ``value`` that then counts in your fit score as your own information."""
    question = get_question(request, pk)
    value = payload.value
    if isinstance(value, bool):
        value = "yes" if value else "no"
    form = AnswerForm(
        form_data({"answer": payload.answer, "value": value}, prefix=f"q{question.pk}"),
        question=question,
    )
    if not form.is_valid():
        raise ApiError(422, "The answer was not saved.", form_fields(form))
    open_question_answer(question=question, answer=form.cleaned_data["answer"], value=form.value())
    return _question(get_question(request, pk))


@router.post(
    "/open-questions/{int:pk}/reopen",
    response=responses(QuestionOut),
    url_name="open_question_reopen",
)
def reopen_open_question(request, pk: int):
    """Open an answered question again; its answer no longer counts in your fit score."""
    open_question_reopen(question=get_question(request, pk))
    return _question(get_question(request, pk))
