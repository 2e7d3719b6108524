"""The research part of the account archive (``accounts.archive``): the shortlist with its
tags, contacts with their conversations and insights, and open questions. Reviews are public
writing moderated on this server, so they go to records.json and are not imported."""

from medmatch.accounts.archive import ArchiveError, create, fields_in, fields_out, items, rows
from medmatch.research.models import (
    Contact,
    Conversation,
    Insight,
    OpenQuestion,
    Review,
    ShortlistItem,
    Tag,
)

ITEM = ("note", "rating", "created_at", "updated_at")
CONTACT = ("name", "role", "how_met", "email", "notes", "created_at")
CONVERSATION = ("date", "channel", "summary", "follow_up_on", "follow_up_done", "created_at")
INSIGHT = ("aspect", "rating", "note", "confidence")
QUESTION = (
    "fact_key",
    "question",
    "answered",
    "answer",
    "answer_number",
    "answer_flag",
    "answer_choice",
    "answered_on",
    "created_at",
)


def export(user, context) -> dict:
    tags = list(Tag.objects.for_student(user).order_by("name", "pk"))
    shortlist = (
        ShortlistItem.objects.for_student(user)
        .with_program()
        .select_related("program__source")
        .prefetch_related("tags")
        .order_by("created_at", "pk")
    )
    contacts = (
        Contact.objects.for_student(user)
        .select_related("program__institution", "program__source", "institution__source")
        .prefetch_related("conversations__insights")
        .order_by("created_at", "pk")
    )
    contacts_out = []
    for contact in contacts:
        conversations = []
        for conversation in sorted(contact.conversations.all(), key=lambda c: (c.date, c.pk)):
            insights = sorted(conversation.insights.all(), key=lambda i: (i.aspect, i.pk))
            conversations.append(
                fields_out(conversation, CONVERSATION)
                | {
                    "insights": [
                        fields_out(insight, INSIGHT) | {"key": context.key("insight", insight)}
                        for insight in insights
                    ]
                }
            )
        contacts_out.append(
            fields_out(contact, CONTACT)
            | {
                "program": context.program(contact.program) if contact.program else None,
                "institution": (
                    context.institution(contact.institution) if contact.institution else None
                ),
                "conversations": conversations,
            }
        )
    questions = (
        OpenQuestion.objects.for_student(user)
        .select_related("program__institution", "program__source")
        .order_by("created_at", "pk")
    )
    return {
        "tags": [tag.name for tag in tags],
        "shortlist": [
            fields_out(item, ITEM)
            | {
                "program": context.program(item.program),
                "tags": sorted(tag.name for tag in item.tags.all()),
            }
            for item in shortlist
        ],
        "contacts": contacts_out,
        "open_questions": [
            fields_out(question, QUESTION)
            | {
                "program": context.program(question.program),
                "insight": context.key_of("insight", question.insight_id),
            }
            for question in questions
        ],
    }


def records(user) -> dict:
    reviews = (
        Review.objects.filter(author=user).select_related("program").order_by("created_at", "pk")
    )
    return {"reviews": [review.to_export() for review in reviews]}


def import_(user, data: dict, context) -> None:
    part = "account.json research"
    tags = {}
    for name, where in rows(data, "tags", part):
        tags[name] = create(
            Tag, where, fields_in(Tag, {"name": name}, ["name"], where), student=user
        )
    for row, where in rows(data, "shortlist", part):
        item = create(
            ShortlistItem,
            where,
            fields_in(ShortlistItem, row, ITEM, where),
            student=user,
            program=context.ref(row.get("program"), f"{where}.program"),
        )
        item.tags.set([_tag(tags, name, f"{where}.tags") for name in items(row, "tags", where)])
    for row, where in rows(data, "contacts", part):
        contact = create(
            Contact,
            where,
            fields_in(Contact, row, CONTACT, where),
            student=user,
            program=context.ref(row.get("program"), f"{where}.program", optional=True),
            institution=context.ref(row.get("institution"), f"{where}.institution", optional=True),
        )
        for talk, at in rows(row, "conversations", where):
            conversation = create(
                Conversation, at, fields_in(Conversation, talk, CONVERSATION, at), contact=contact
            )
            for found, spot in rows(talk, "insights", at):
                insight = create(
                    Insight,
                    spot,
                    fields_in(Insight, found, INSIGHT, spot),
                    conversation=conversation,
                )
                context.remember(found.get("key"), insight, spot)
    for row, where in rows(data, "open_questions", part):
        create(
            OpenQuestion,
            where,
            fields_in(OpenQuestion, row, QUESTION, where),
            student=user,
            program=context.ref(row.get("program"), f"{where}.program"),
            insight=context.optional(row.get("insight"), "insight", f"{where}.insight"),
        )


def _tag(tags: dict, name, part: str) -> Tag:
    if name not in tags:
        raise ArchiveError(part, f"{name!r} is not one of the archive's tags")
    return tags[name]
