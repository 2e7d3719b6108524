"""Small factories for contacts, conversations, insights, reviews and applications."""

import datetime

from medmatch.applications.models import Application
from medmatch.research.models import Contact, Conversation, Insight, Review


def make_contact(student, program=None, **fields) -> Contact:
    defaults = {"name": "Dr Priya Shah", "role": Contact.Role.RESIDENT, "how_met": "alumni panel"}
    return Contact.objects.create(student=student, program=program, **(defaults | fields))


def make_conversation(contact, insights=(), **fields) -> Conversation:
    defaults = {"date": datetime.date(2025, 10, 2), "channel": Conversation.Channel.VIDEO}
    conversation = Conversation.objects.create(contact=contact, **(defaults | fields))
    for aspect, rating, confidence, note in insights:
        Insight.objects.create(
            conversation=conversation,
            aspect=aspect,
            rating=rating,
            confidence=confidence,
            note=note,
        )
    return conversation


def make_review(author, program, status=Review.Status.APPROVED, **fields) -> Review:
    defaults = {
        "relation": Review.Relation.RESIDENT,
        "teaching": 4,
        "mentorship": 4,
        "workload": 3,
        "culture": 5,
        "text": "Attendings teach at the bedside every day.",
    }
    return Review.objects.create(
        author=author, program=program, status=status, **(defaults | fields)
    )


def make_application(student, program, **fields) -> Application:
    return Application.objects.create(student=student, program=program, **fields)
