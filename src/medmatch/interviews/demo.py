"""The demo student's journey past its goals: a shortlist, tracked applications, a personal
statement, a letter request and an interview, so every stage of the home page has something to
show. Everything is fictional and says so ("(demo)"); the programs are real catalog entries.

Registered with ``goals.demo.register_demo_seeder`` in InterviewsConfig.ready(): interviews is the
highest of the apps it writes to. Idempotent: each object is found by its demo title or program
before it is made, so running ``medmatch demo`` again changes nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from medmatch.applications.models import Application, Statement
from medmatch.applications.services import application_create, application_move, statement_create
from medmatch.catalog.models import Program
from medmatch.interviews.models import Interview
from medmatch.letters.models import LetterRequest, Recommender
from medmatch.letters.services import request_save
from medmatch.research.models import ShortlistItem

DEMO_NOTE = "(demo) A fictional note on a real program."
STATEMENT_TITLE = "Personal statement (demo)"
STATEMENT_BODY = (
    "(demo — a fictional statement.) During my medicine clerkship I followed a patient with "
    "heart failure from the emergency department to discharge. I learned to reconcile twelve "
    "medications, to explain a low-salt diet in plain words, and to call the family when the "
    "plan changed. That continuity is why I am applying to internal medicine.\n\n"
    "In my research year I audited sepsis bundles on two wards and presented the results to the "
    "nursing staff; compliance with lactate measurement rose from 61% to 84% in three months.\n\n"
    "I am looking for a program with strong teaching, a continuity clinic and mentors in "
    "general internal medicine."
)
RECOMMENDER_NAME = "Dr. Alex Rivera (demo)"


def _demo_programs(limit: int = 3) -> list[Program]:
    """Internal medicine programs near the demo's Boston goal, else any programs."""
    internal = Program.objects.filter(specialty__code="140").select_related("institution")
    for queryset in (
        internal.filter(institution__region="MA"),
        internal,
        Program.objects.select_related("institution"),
    ):
        programs = list(queryset.order_by("pk")[:limit])
        if programs:
            return programs
    return []


@transaction.atomic
def seed_demo_journey(user) -> None:
    """Give the demo ``user`` one object at every stage (see the module docstring)."""
    programs = _demo_programs()
    for program in programs:
        ShortlistItem.objects.get_or_create(
            student=user, program=program, defaults={"note": DEMO_NOTE, "rating": 4}
        )
    applications = [application_create(student=user, program=p)[0] for p in programs[:2]]
    if not Statement.objects.filter(student=user, title=STATEMENT_TITLE).exists():
        statement_create(student=user, title=STATEMENT_TITLE, body=STATEMENT_BODY)
    if not applications:
        return  # an empty catalog: nothing to apply to yet
    if applications[0].status == Application.Status.RESEARCHING:
        application_move(application=applications[0], status=Application.Status.PREPARING)
    recommender, _ = Recommender.objects.get_or_create(
        student=user,
        name=RECOMMENDER_NAME,
        defaults={
            "title": "Associate Professor of Medicine",
            "role": Recommender.Role.ATTENDING,
            "institution": "A fictional teaching hospital",
            "email": "alex.rivera@example.invalid",
            "relationship": "(demo) Supervised a 4-week internal medicine sub-internship.",
            "known_months": 8,
            "knows_well": 4,
        },
    )
    if not LetterRequest.objects.filter(student=user, recommender=recommender).exists():
        today = timezone.localdate()
        request = LetterRequest(
            student=user,
            recommender=recommender,
            status=LetterRequest.Status.ASKED,
            asked_on=today,
            due_on=today + datetime.timedelta(days=28),
        )
        request_save(letter_request=request, applications=applications)
    interviewing = applications[-1]
    if not Interview.objects.filter(application=interviewing).exists():
        start = timezone.now().replace(minute=0, second=0, microsecond=0)
        Interview.objects.create(
            application=interviewing,
            starts_at=start + datetime.timedelta(days=21),
            time_zone="America/New_York",
            format=Interview.Format.VIRTUAL,
            notes="(demo) A fictional interview day: program overview, two interviews, residents.",
        )
        if interviewing.status in (Application.Status.RESEARCHING, Application.Status.PREPARING):
            application_move(application=interviewing, status=Application.Status.INTERVIEW_INVITED)
