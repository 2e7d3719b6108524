"""A student with something in every part of the archive, for the archive tests."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from medmatch.applications.models import (
    Application,
    CVEntry,
    Requirement,
    Statement,
    StatementVersion,
    StatusChange,
    TailoredCV,
)
from medmatch.goals.models import GoalProfile
from medmatch.interviews.models import Impression, Interview, PracticeAttempt, Question
from medmatch.letters.models import Letter, LetterAssignment, LetterRequest, Recommender
from medmatch.lib.tokens import hash_token
from medmatch.research.models import (
    Contact,
    Conversation,
    Insight,
    OpenQuestion,
    Review,
    ShortlistItem,
    Tag,
)
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty
from tests.letters.conftest import pdf_bytes

GOALS = {
    "format": "medmatch-goals/1",
    "specialties": {"interests": [{"specialty": "140", "weight": 5}], "weight": 5},
}
SECRET = b"Alice is the finest intern I have supervised"
OPEN_LETTER = pdf_bytes(comment=b"A letter Alice may read")


def make_catalog() -> dict:
    """Programs known by each kind of natural key: NRMP code, CaRMS stream, source row, and a
    listing known only by its institution and title."""
    source = make_source(key="archive-test")
    specialty = make_specialty("Internal Medicine", code="140", system="acgme")
    boston = make_institution("Boston General", ccn="220071", source=source)
    toronto = make_institution("Toronto Western", source=source, source_row=7)
    return {
        "specialty": specialty,
        "boston": boston,
        "toronto": toronto,
        "programs": [
            make_program("Internal Medicine", institution=boston, nrmp_code="1234140C0"),
            make_program("Family Medicine", institution=toronto, carms_stream_id="3302"),
            make_program("Surgery", institution=toronto, source_row=12),
            make_program("Observership", institution=boston),
        ],
    }


def _letter(request, content: bytes, *, waived: bool) -> Letter:
    letter = Letter(
        request=request,
        original_name="Okafor.pdf",
        size=len(content),
        sha256=__import__("hashlib").sha256(content).hexdigest(),
        waived=waived,
        uploaded_at=timezone.now(),
    )
    letter.file.save("x.pdf", ContentFile(content), save=False)
    letter.save()
    return letter


def fill_account(user, catalog: dict) -> None:
    first, second, third, fourth = catalog["programs"]
    GoalProfile.objects.create(student=user, data=GOALS, completed_steps=["specialties"])
    urgent = Tag.objects.create(student=user, name="urgent")
    Tag.objects.create(student=user, name="maybe")
    item = ShortlistItem.objects.create(student=user, program=first, note="Strong", rating=4)
    item.tags.set([urgent])
    ShortlistItem.objects.create(student=user, program=fourth)
    contact = Contact.objects.create(
        student=user, name="Dr Lee", program=second, institution=catalog["boston"]
    )
    talk = Conversation.objects.create(
        contact=contact, date=datetime.date(2026, 10, 1), summary="Call", follow_up_on=None
    )
    insight = Insight.objects.create(conversation=talk, aspect="teaching", rating=4, note="Good")
    OpenQuestion.objects.create(
        student=user,
        program=first,
        fact_key="hours",
        question="Weekly hours?",
        answered=True,
        answer="60",
        answer_number=60.0,
        answered_on=datetime.date(2026, 10, 2),
    )
    OpenQuestion.objects.create(
        student=user, program=second, fact_key="teaching", question="Doubtful?", insight=insight
    )
    Review.objects.create(
        author=user,
        program=first,
        relation="resident",
        teaching=4,
        mentorship=4,
        workload=3,
        culture=5,
        text="Kind people.",
    )
    application = Application.objects.create(
        student=user, program=first, status="preparing", deadline=datetime.date(2026, 12, 1)
    )
    StatusChange.objects.create(application=application, from_status="", to_status="researching")
    StatusChange.objects.create(
        application=application, from_status="researching", to_status="preparing"
    )
    Requirement.objects.create(
        application=application, kind="fee", title="Fee", amount=Decimal("99.50"), currency="USD"
    )
    other = Application.objects.create(student=user, program=third)
    entries = [
        CVEntry.objects.create(
            student=user,
            section="research",
            title="Sepsis",
            position=1,
            tags=["icu"],
            start_date=datetime.date(2024, 1, 1),
        ),
        CVEntry.objects.create(student=user, section="education", title="MD", position=0),
    ]
    TailoredCV.objects.create(
        application=application,
        entry_ids=[entries[1].pk, entries[0].pk, 999_999],
        known_ids=[e.pk for e in entries],
        adjusted=True,
    )
    base = Statement.objects.create(student=user, title="Base")
    StatementVersion.objects.create(statement=base, body="First text.", note="draft")
    StatementVersion.objects.create(statement=base, body="Second text.")
    variant = Statement.objects.create(
        student=user, title="For Boston", application=application, based_on=base
    )
    StatementVersion.objects.create(statement=variant, body="Boston text.")
    recommender = Recommender.objects.create(
        student=user, name="Dr Okafor", email="okafor@example.org", specialty=catalog["specialty"]
    )
    open_request = LetterRequest.objects.create(
        student=user, recommender=recommender, waived=False, status="submitted"
    )
    LetterAssignment.objects.create(request=open_request, application=application)
    _letter(open_request, OPEN_LETTER, waived=False)
    waived_request = LetterRequest.objects.create(
        student=user, recommender=recommender, waived=True, status="submitted"
    )
    LetterAssignment.objects.create(request=waived_request, application=other)
    _letter(waived_request, pdf_bytes(comment=SECRET), waived=True)
    question = Question.objects.create(student=user, category="behavioral", text="A conflict?")
    PracticeAttempt.objects.create(
        student=user, question=question, seconds_taken=60, feedback={"star": ["situation"]}, score=3
    )
    bank = Question.objects.filter(student=None).exclude(key="").order_by("key").first()
    PracticeAttempt.objects.create(student=user, question=bank, seconds_taken=90, answer="STAR")
    interview = Interview.objects.create(
        application=application,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        time_zone="America/Chicago",
        latitude=42.36,
        longitude=-71.06,
        interviewers="Dr A\nDr B",
    )
    Impression.objects.create(interview=interview, notes="Friendly")
    from medmatch.applications.models import CalendarFeed

    CalendarFeed.objects.create(student=user, token_hash=hash_token(f"feed-{user.pk}"))
