"""No input gives a 500: every URL of the URL map, as an anonymous visitor and as a logged-in
student, with a table of hostile values in its path, its query parameters and its form fields.

The URLs come from the URL map itself (``get_resolver().url_patterns``, walked through every
include and namespace), so a new view is swept without anyone listing it. Path converters get a
real object of alice's where the view needs one (``OBJECTS`` for a ``pk``, ``ARGUMENTS`` for other
names; a new URL with an argument missing there fails
``test_it_fills_every_path_argument_of_every_url``) and hostile integers.

The parameter names come from three places: every field of every form in medmatch, a fixed list
of names views read by hand, and the names the view itself reads — each URL is requested once
while ``QueryDict`` records which keys the view asked for, so a view that reads ``?colour=`` by
hand is swept with hostile colours. A second request puts "²" in all those names at once and
records again; then every name the view read gets a value of every class of hostile values
(``HOSTILE_CLASSES``) once: the k-th request gives the i-th name a value of the (i + k)-th class,
so as many requests as there are classes (not the cross product of names and values). Which
value of its class rotates with the name and with a fixed checksum of the URL, so the URL map as
a whole sends every value (``test_it_sends_every_hostile_value_somewhere``). A field's own
cleaning runs whatever the other fields hold, so one bad value does not hide another. POST
bodies are swept the same way.

The sweep is one test per URL pattern and persona (``-k cycles`` runs a namespace), so pytest-xdist
spreads it over every core. alice's world is built once per module run, that is once per xdist
worker (the ``world`` fixture), in a transaction rolled back when the module is done.

Every request runs inside a savepoint that is rolled back, so a POST that deletes or changes
something cannot change what the next request sees. The test client re-raises an exception from
a view (``raise_request_exception``), and a Rust panic (``pyo3`` ``PanicException``, a
``BaseException``) escapes the client too; both are collected with the URL and value and
reported together at the end.

``/admin/`` is not swept: it is Django's own admin, reachable only by staff (an anonymous
visitor and a student are redirected to its login), and its views are Django's, not medmatch's.
"""

import datetime
import zlib
import zoneinfo
from dataclasses import dataclass

import pytest
from django import forms
from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from tests.catalog.factories import make_institution, make_program, make_source, make_specialty
from tests.research.factories import make_contact, make_conversation

pytestmark = pytest.mark.django_db

SUPERSCRIPT_TWO = "\u00b2"  # "²".isdigit() is True; int("²") raises ValueError
ARABIC_INDIC_ZIP = "\u0661\u0660\u0660\u0663\u0662"  # 10032 in Arabic-Indic digits
FULL_WIDTH_ZIP = "\uff11\uff10\uff10\uff13\uff12"  # 10032 in full-width digits
# The hostile values, by the kind of mistake each provokes. Every name a view reads gets one value
# of every class (see Sweep.sweep_values); which one rotates with the URL and the name, so the
# URL map as a whole sends every value (test_it_sends_every_hostile_value_somewhere).
HOSTILE_CLASSES = {
    "digits int() refuses": [SUPERSCRIPT_TWO, ARABIC_INDIC_ZIP, FULL_WIDTH_ZIP],
    "numbers out of range": ["99999999999999999999", "-1", "0"],
    "not a number": ["abc", "", "America", "*"],
    "dates at the ends of the calendar": ["9999-12-31", "0000-00-00", "9999-12-31T23:59"],
    "long or control characters": ["x" * 300, "\x00", "Eve\r\nBcc: x@example.org"],
    "query and markup syntax": ["' OR 1=1 --", '"', "NEAR(", "a AND", "<script>"],
}
HOSTILE = [value for values in HOSTILE_CLASSES.values() for value in values]
HOSTILE_IDS = [0, 99999999999999999999]  # 2**63 itself: tests/lib/test_forms.py
HOSTILE_STRINGS = ["abc", "x" * 300, "-1"]

# Names some views read from request.GET / request.POST by hand, besides their forms' fields.
FIXED_NAMES = [
    "p",
    "q",
    "page",
    "sort",
    "direction",
    "near",
    "radius",
    "item",
    "program",
    "application",
    "recommender",
    "from",
    "to",
    "tz",
    "time_zone",
    "starts_at",
    "date",
    "deadline",
    "section",
    "entry",
    "action",
    "next",
    "done",
    "button",
    "status",
]

SKIPPED_NAMESPACES = {"admin"}  # see the module docstring


# -- the URL map ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    converters: dict  # kwarg -> converter

    @property
    def namespace(self) -> str:
        return self.name.partition(":")[0] if ":" in self.name else ""


def walk(patterns, namespace: str = "") -> list[Route]:
    routes = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            if inner in SKIPPED_NAMESPACES:
                continue
            converters = getattr(entry.pattern, "converters", {})
            routes += [
                Route(r.name, {**converters, **r.converters})
                for r in walk(entry.url_patterns, inner)
            ]
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            routes.append(Route(name, dict(getattr(entry.pattern, "converters", {}))))
    return routes


def all_routes() -> list[Route]:
    return walk(get_resolver().url_patterns)


def form_classes() -> list[type[forms.BaseForm]]:
    """Every form class defined in medmatch (its forms modules imported first)."""
    import importlib
    import pkgutil

    import medmatch

    for module in pkgutil.walk_packages(medmatch.__path__, "medmatch."):
        parts = module.name.split(".")
        if parts[-1] in ("forms", "recommendations") or parts[-2] == "forms":
            importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.startswith("medmatch."):
            found.append(cls)
    return found


def form_field_names() -> set[str]:
    """Every field name of every form class in medmatch."""
    return {name for cls in form_classes() for name in getattr(cls, "base_fields", {})}


# -- alice's world: one real object for every URL that needs one --------------------------------


def build_world(alice) -> dict:
    from medmatch.applications.models import CVEntry, Requirement
    from medmatch.applications.services import (
        application_create,
        calendar_feed_renew,
        statement_create,
        statement_save,
    )
    from medmatch.contributions.models import Coordinatorship
    from medmatch.cycles.services import practice_run_create
    from medmatch.goals.models import GoalProfile
    from medmatch.interviews.models import Interview, PracticeAttempt, Question
    from medmatch.letters.models import LetterRequest, Recommender
    from medmatch.letters.services import link_create, request_save
    from medmatch.research.models import OpenQuestion, ShortlistItem
    from medmatch.research.services import open_questions_refresh

    source = make_source(key="hostile", name="NRMP (test)", publisher="NRMP")
    internal = make_specialty("Internal Medicine", code="140", slug="internal-medicine")
    hospital = make_institution(
        "Massachusetts General Hospital",
        kind="academic",
        city="Boston",
        region="MA",
        country="US",
        latitude=42.3631,
        longitude=-71.0686,
        source=source,
    )
    program = make_program(
        "Internal Medicine",
        institution=hospital,
        specialty=internal,
        application_deadline=timezone.localdate() + datetime.timedelta(days=30),
        source=source,
    )
    other = make_program("Pediatrics", institution=hospital, source=source)
    # alice is also a verified coordinator of the hospital, so the edit form is swept too.
    Coordinatorship.objects.create(
        user=alice,
        institution=hospital,
        status=Coordinatorship.Status.VERIFIED,
        role_title="Coordinator",
        email_at_request=alice.email,
        evidence_strength=Coordinatorship.Strength.NONE,
    )
    GoalProfile.objects.create(
        student=alice,
        data={
            "format": "medmatch-goals/1",
            "specialties": {"interests": [{"specialty": "140", "weight": 5}], "weight": 5},
            "location": {
                "places": [
                    {"latitude": 42.36, "longitude": -71.06, "radius_km": 50, "label": "Boston"}
                ],
                "weight": 3,
            },
        },
    )
    item = ShortlistItem.objects.create(student=alice, program=program)
    ShortlistItem.objects.create(student=alice, program=other)
    open_questions_refresh(student=alice)
    contact = make_contact(alice, program)
    conversation = make_conversation(contact, follow_up_on=timezone.localdate())
    application, _ = application_create(student=alice, program=program)
    requirement = application.requirements.first() or Requirement.objects.create(
        application=application, title="Personal statement"
    )
    entry = CVEntry.objects.create(student=alice, section="research", title="Sepsis study")
    statement = statement_create(student=alice, title="Base", body="One.")
    statement_save(statement=statement, body="One. Two.", title="Base", word_limit=750)
    recommender = Recommender.objects.create(
        student=alice, name="Dr. Ruth Okafor", email="okafor@example.org"
    )
    letter_request = request_save(
        letter_request=LetterRequest(student=alice, recommender=recommender, waived=True),
        applications=[application],
    )
    token, link = link_create(request=letter_request)
    question = Question.objects.create(student=alice, category="ethics", text="Why medicine?")
    attempt = PracticeAttempt.objects.create(student=alice, question=question, seconds_taken=60)
    zone = "America/New_York"
    starts = datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=5),
        datetime.time(9),
        tzinfo=zoneinfo.ZoneInfo(zone),
    )
    interview = Interview.objects.create(application=application, starts_at=starts, time_zone=zone)
    practice_run = practice_run_create(
        student=alice,
        market="hand_made",
        specialty=None,
        strength="average",
        couple=False,
        seed=1,
        ranking=["prog-a", "prog-c"],
    )
    # The program side: alice's application sent to the program she is also staff of.
    from medmatch.workspace.models import Intake, RubricCriterion, Submission, SubmissionVersion

    submission = Submission.objects.create(application=application, student=alice, program=program)
    submission.current_version = SubmissionVersion.objects.create(
        submission=submission, number=1, profile={"name": "Alice"}
    )
    submission.save(update_fields=["current_version"])
    criterion = RubricCriterion.objects.create(program=program, name="Clinical grades")
    intake = Intake.objects.create(program=program, is_open=True)
    intake_question = intake.questions.create(text="Why our program?")
    slot_round, slot, invitation = _slot_round(submission, starts)
    # A match cycle (only administrators reach its pages; alice gets their 404s).
    from medmatch.cycles.models import CycleProgram, MatchCycle

    match_cycle = MatchCycle.objects.create(
        name="Match 2027",
        rank_lists_open_at=starts - datetime.timedelta(days=10),
        certification_deadline=starts + datetime.timedelta(days=10),
        match_day=starts + datetime.timedelta(days=20),
    )
    cycle_program = CycleProgram.objects.create(cycle=match_cycle, program=program, quota=2)
    ranking = _rank_lists(alice, program, starts)
    from medmatch.api.services import access_token_create

    access_token, _secret = access_token_create(
        user=alice, name="script", scopes=["applications:write"], expires_in_days=30
    )
    return {
        **ranking,
        "access_token": access_token,
        "match_cycle": match_cycle,
        "cycle_program": cycle_program,
        "submission": submission,
        "version_number": submission.current_version.number,
        "criterion": criterion,
        "program": program,
        "institution": hospital,
        "item": item,
        "open_question": OpenQuestion.objects.filter(student=alice).first(),
        "contact": contact,
        "conversation": conversation,
        "application": application,
        "requirement": requirement,
        "cv_entry": entry,
        "statement": statement,
        "version": statement.versions.first(),
        "recommender": recommender,
        "letter_request": letter_request,
        "link": link,
        "portal_token": token,
        "feed_token": calendar_feed_renew(student=alice),
        "question": question,
        "attempt": attempt,
        "interview": interview,
        "practice_run": practice_run,
        "intake_question": intake_question,
        "slot_round": slot_round,
        "slot": slot,
        "invitation": invitation,
    }


def _rank_lists(alice, program, starts) -> dict:
    """An open cycle with alice's rank list, her couple link (and its joint list), a proposal of
    hers and one to her, and the program's list (alice is its coordinator)."""
    from medmatch.cycles import rank_lists
    from medmatch.cycles.models import CoupleProposal, CycleProgram, MatchCycle
    from tests.personas import make_user

    cycle = MatchCycle.objects.create(
        name="Open match",
        state="open",
        rank_lists_open_at=timezone.now() - datetime.timedelta(days=1),
        certification_deadline=starts + datetime.timedelta(days=10),
        match_day=starts + datetime.timedelta(days=20),
    )
    entry = CycleProgram.objects.create(cycle=cycle, program=program, quota=2)
    rank_list = rank_lists.student_list_start(cycle=cycle, student=alice)
    rank_lists.student_list_write(rank_list=rank_list, order=[entry.pk])
    partner = make_user("hostile-partner")
    proposal = rank_lists.couple_propose(cycle=cycle, proposer=partner, email=alice.email)
    link = rank_lists.couple_proposal_answer(proposal=proposal, partner=alice, accept=True)
    rank_lists.couple_pairs_write(joint=rank_lists.joint_list(link), pairs=[(entry.pk, None)])
    rank_lists.program_list_write(plist=rank_lists.program_list(entry), order=[alice.pk])
    stranger = make_user("hostile-proposer")
    return {
        "rank_cycle": cycle,
        "rank_cycle_program": entry,
        "rank_list": rank_list,
        "couple_link": link,
        "own_proposal": CoupleProposal.objects.create(
            cycle=cycle, proposer=alice, email="someone@example.org"
        ),
        "proposal_to_alice": CoupleProposal.objects.create(
            cycle=cycle, proposer=stranger, email=alice.email
        ),
    }


def _slot_round(submission, starts):
    """An interview slot round of the program (alice coordinates it) that invited alice."""
    from medmatch.workspace.models import Invitation, SlotRound

    submission.decision = "invite"
    submission.save(update_fields=["decision"])
    application = submission.application
    slot_round = SlotRound.objects.create(
        program=application.program,
        title="Interview days",
        time_zone="America/New_York",
        window_opens_at=timezone.now(),
        window_closes_at=timezone.now() + datetime.timedelta(hours=48),
    )
    slot = slot_round.slots.create(starts_at=starts)
    invitation = Invitation.objects.create(round=slot_round, submission=submission, priority=1)
    return slot_round, slot, invitation


# The object each URL's ``pk`` stands for (a key of build_world's dict).
OBJECTS = {
    "catalog:program": "program",
    "catalog:institution": "institution",
    "research:item": "item",
    "research:edit": "item",
    "research:remove": "item",
    "research:contact": "contact",
    "research:contact_edit": "contact",
    "research:contact_delete": "contact",
    "research:conversation_add": "contact",
    "research:conversation_edit": "conversation",
    "research:conversation_delete": "conversation",
    "research:follow_up_done": "conversation",
    "research:program_questions": "item",
    "research:answer": "open_question",
    "research:reopen": "open_question",
    "research:briefing": "application",
    "research:briefing_pdf": "application",
    "applications:detail": "application",
    "applications:edit": "application",
    "applications:move": "application",
    "applications:delete": "application",
    "applications:requirement_add": "application",
    "applications:requirement": "requirement",
    "applications:requirement_edit": "requirement",
    "applications:requirement_toggle": "requirement",
    "applications:requirement_delete": "requirement",
    "applications:cv_entry_edit": "cv_entry",
    "applications:cv_entry_move": "cv_entry",
    "applications:cv_entry_delete": "cv_entry",
    "applications:tailored_cv": "application",
    "applications:tailored_cv_change": "application",
    "applications:tailored_cv_pdf": "application",
    "applications:statement_start": "application",
    "applications:statement": "statement",
    "applications:statement_analyze": "statement",
    "applications:statement_versions": "statement",
    "applications:statement_diff": "statement",
    "applications:statement_delete": "statement",
    "applications:statement_version_restore": "version",
    "letters:recommender_edit": "recommender",
    "letters:recommender_delete": "recommender",
    "letters:request_detail": "letter_request",
    "letters:request_edit": "letter_request",
    "letters:request_delete": "letter_request",
    "letters:packet": "letter_request",
    "letters:send": "letter_request",
    "letters:service_upload": "letter_request",
    "letters:link_create": "letter_request",
    "letters:letter_download": "letter_request",
    "letters:link_revoke": "link",
    "interviews:question_edit": "question",
    "interviews:question_delete": "question",
    "interviews:practice": "question",
    "interviews:attempt": "attempt",
    "interviews:attempt_delete": "attempt",
    "interviews:interview": "interview",
    "interviews:interview_edit": "interview",
    "interviews:interview_delete": "interview",
    "interviews:impression": "interview",
    "interviews:thank_you": "interview",
    "cycles:practice_run": "practice_run",
    "cycles:practice_delete": "practice_run",
    "cycles:cycle": "match_cycle",
    "cycles:cycle_edit": "match_cycle",
    "cycles:cycle_program_add": "match_cycle",
    "cycles:cycle_programs_bulk": "match_cycle",
    "cycles:cycle_program_remove": "match_cycle",
    "cycles:cycle_open": "match_cycle",
    "cycles:cycle_lock": "match_cycle",
    "cycles:list_start": "rank_cycle",
    "cycles:list": "rank_list",
    "cycles:list_add": "rank_list",
    "cycles:list_move": "rank_list",
    "cycles:list_order": "rank_list",
    "cycles:list_certify": "rank_list",
    "cycles:couple_propose": "rank_list",
    "cycles:proposal_withdraw": "own_proposal",
    "cycles:proposal_answer": "proposal_to_alice",
    "cycles:couple": "couple_link",
    "cycles:couple_add": "couple_link",
    "cycles:couple_move": "couple_link",
    "cycles:couple_order": "couple_link",
    "cycles:couple_certify": "couple_link",
    "cycles:couple_end": "couple_link",
    "cycles:program_list": "rank_cycle_program",
    "cycles:program_list_add": "rank_cycle_program",
    "cycles:program_list_move": "rank_cycle_program",
    "cycles:program_list_order": "rank_cycle_program",
    "cycles:program_list_import": "rank_cycle_program",
    "cycles:program_list_certify": "rank_cycle_program",
    "cycles:cycle_run": "match_cycle",
    "cycles:cycle_run_progress": "match_cycle",
    "cycles:cycle_run_cancel": "match_cycle",
    "cycles:cycle_publish": "match_cycle",
    "cycles:result": "match_cycle",
    "cycles:result_program": "match_cycle",
    "cycles:result_unfilled": "match_cycle",
    "workspace:inbox": "program",
    "workspace:inbox_decide": "program",
    "workspace:rubric": "program",
    "workspace:criterion": "program",
    "workspace:criterion_move": "program",
    "workspace:criterion_retire": "program",
    "workspace:review": "submission",
    "workspace:decide": "submission",
    "workspace:submission": "submission",
    "workspace:submission_withdraw": "submission",
    "workspace:submission_cv": "submission",
    "workspace:submission_document": "submission",
    "workspace:intake": "program",
    "workspace:intake_question_add": "program",
    "workspace:intake_question_move": "program",
    "workspace:intake_question_retire": "program",
    "workspace:intake_question_delete": "program",
    "workspace:submission_staff": "submission",
    "workspace:submission_staff_version": "submission",
    "workspace:submission_staff_cv": "submission",
    "workspace:submission_staff_document": "submission",
    "workspace:submission_staff_letter": "submission",
    "workspace:rounds": "program",
    "workspace:round_create": "program",
    "workspace:round": "program",
    "workspace:round_slots": "program",
    "workspace:slot_delete": "program",
    "workspace:round_invite": "program",
    "workspace:round_window": "program",
    "workspace:round_close": "program",
    "workspace:invitation_remove": "program",
    "workspace:round_calendar": "program",
    "tokens:revoke": "access_token",
    "api:program": "program",
    "api:institution": "institution",
    "api:application": "application",
    "api:application_edit": "application",
    "api:application_status": "application",
    "api:shortlist_item": "item",
    "api:shortlist_remove": "item",
    "api:cv_entry": "cv_entry",
    "api:interview": "interview",
    "api:shortlist_edit": "item",
    "api:requirement": "requirement",
    "api:requirement_done": "requirement",
    "api:statement": "statement",
    "api:statement_versions": "statement",
    "api:statement_version_create": "statement",
    "api:statement_version": "version",
    "api:contact": "contact",
    "api:conversation": "conversation",
    "api:open_question": "open_question",
    "api:practice_attempt": "attempt",
    "api:recommender": "recommender",
    "api:letter_request": "letter_request",
    "api:rank_list": "rank_list",
    "api:contact_edit": "contact",
    "api:contact_delete": "contact",
    "api:conversation_add": "contact",
    "api:conversation_edit": "conversation",
    "api:conversation_delete": "conversation",
    "api:open_question_answer": "open_question",
    "api:open_question_reopen": "open_question",
    "api:recommender_edit": "recommender",
    "api:recommender_delete": "recommender",
    "api:letter_request_edit": "letter_request",
    "api:letter_request_delete": "letter_request",
    "api:couple": "couple_link",
    "api:couple_list": "couple_link",
    "api:couple_certify": "couple_link",
    "api:rank_list_edit": "rank_list",
    "api:rank_list_certify": "rank_list",
    "api:staff_inbox": "program",
    "api:staff_rounds": "program",
    "api:staff_round": "slot_round",
    "api:staff_submission": "submission",
    "api:staff_submission_version": "submission",
    "api:staff_submission_cv": "submission",
    "api:staff_submission_document": "submission",
    "api:staff_submission_letter": "submission",
    "api:staff_review": "submission",
    "api:staff_decision": "submission",
    "api:program_rank_list": "rank_cycle_program",
    "api:program_rank_list_edit": "rank_cycle_program",
    "api:program_rank_list_certify": "rank_cycle_program",
}
# Other path arguments, by name, whatever the URL.
ARGUMENTS = {
    "program_pk": "program",
    "request_pk": "letter_request",
    "institution_pk": "institution",
    "criterion_pk": "criterion",
    "question_pk": "intake_question",
    "rpk": "slot_round",
    "spk": "slot",
    "ipk": "invitation",
    "cpk": "cycle_program",
    "program_id": "program",
    "application_pk": "application",
    "number": "version_number",
    "cycle_id": "match_cycle",
}
TOKENS = {"letters:portal": "portal_token", "applications:calendar_feed": "feed_token"}
# URLs with a path argument no object of alice's world fills, and why; the sweep requests them with
# hostile path values only. test_it_fills_every_path_argument_of_every_url fails on any other.
NOT_FILLED = {
    "accounts:signup_confirm": "a signed link from an email",
    "accounts:password_reset_confirm": "a signed link from an email",
    "api_not_found": "any path under /api/ that names no endpoint",
    "workspace:submission_document": "the world has no submitted document yet",
    "workspace:submission_staff_document": "the world has no submitted document yet",
    "workspace:submission_staff_letter": "the world has no letter sent to a submission yet",
    "api:staff_submission_document": "the world has no submitted document yet",
    "api:staff_submission_letter": "the world has no letter sent to a submission yet",
}


def real_kwargs(route: Route, world: dict) -> dict | None:
    """The path arguments naming alice's real objects, or None when the URL has one we cannot
    fill (a password-reset link, a questionnaire step: see hostile_kwargs)."""
    from medmatch.goals.forms import STEP_SLUGS

    kwargs = {}
    for name in route.converters:
        if name == "pk":
            kwargs[name] = world[OBJECTS[route.name]].pk
        elif name in ARGUMENTS:
            value = world[ARGUMENTS[name]]
            kwargs[name] = getattr(value, "pk", value)  # an object, or a number such as a version's
        elif name == "token" and route.name in TOKENS:
            kwargs[name] = world[TOKENS[route.name]]
        elif name == "step":
            kwargs[name] = STEP_SLUGS[0]
        else:
            return None
    return kwargs


def hostile_kwargs(route: Route, world: dict) -> list[dict]:
    """Each path argument in turn replaced by hostile values, the others real."""
    base = real_kwargs(route, world) or {}
    variants = []
    for name, converter in route.converters.items():
        is_int = type(converter).__name__ == "IntConverter"
        for value in HOSTILE_IDS if is_int else HOSTILE_STRINGS:
            filled = {
                other: base.get(other, 1 if type(c).__name__ == "IntConverter" else "abc")
                for other, c in route.converters.items()
            }
            variants.append({**filled, name: value})
    return variants


# -- requests -------------------------------------------------------------------------------


class Recorder:
    """Records the keys a view asks request.GET / request.POST for."""

    def __init__(self):
        self.keys: set[str] | None = None

    def install(self, monkeypatch):
        recorder = self
        for method in ("get", "getlist", "__getitem__", "__contains__"):
            original = getattr(MultiValueDict, method, None) or getattr(dict, method)

            def wrapped(self, key, *args, _original=original, **kwargs):
                if recorder.keys is not None and isinstance(self, QueryDict):
                    recorder.keys.add(key)
                return _original(self, key, *args, **kwargs)

            monkeypatch.setattr(MultiValueDict, method, wrapped)


def describe(data: dict | None) -> str:
    if not data:
        return "{}"
    values = set(data.values())
    if len(data) > 3 and len(values) == 1:
        return f"(all {len(data)} names = {next(iter(values))[:40]!r})"
    return repr({name: value[:40] for name, value in data.items()})


@dataclass
class Sweep:
    client: Client
    relogin: object  # callable, or None for the anonymous visitor
    recorder: Recorder
    failures: list
    count: int = 0

    def request(
        self, method: str, url: str, data: dict | None = None, **extra
    ) -> tuple[int, set[str]]:
        """One request in a rolled-back savepoint (``extra``: WSGI environ values, such as a
        CONTENT_LENGTH the body does not have); returns its status (0 for a crash) and the
        query or form keys the view read."""
        cookie = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        session = cookie.value if cookie else None
        self.recorder.keys = set()
        self.count += 1
        status = 0
        try:
            with transaction.atomic():
                response = getattr(self.client, method)(url, data or {}, **extra)
                transaction.set_rollback(True)
            status = response.status_code
            if status >= 500:
                self.failures.append(
                    f"{method.upper()} {url} {describe(data)}{describe_extra(extra)}: {status}"
                )
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # a Rust panic is a BaseException
            problem = f"{type(error).__name__}: {str(error)[:200]}"
            self.failures.append(
                f"{method.upper()} {url} {describe(data)}{describe_extra(extra)}: {problem}"
            )
        finally:
            read, self.recorder.keys = self.recorder.keys, None
        cookie = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        if self.relogin and (cookie.value if cookie else None) != session:
            self.relogin()  # a logout or account deletion was rolled back; the cookie was not
        return status, read

    def sweep_values(
        self, method: str, url: str, names: set[str], read: set[str], rotation: int
    ) -> None:
        _, more = self.request(method, url, dict.fromkeys(names, HOSTILE[0]))
        read = read | more
        if not read:
            return  # the view reads no parameter, even when every known name is present
        # Each name the view read gets one value of each class, in len(HOSTILE_CLASSES) requests
        # (see hostile_value); a field's own cleaning runs whatever the other fields hold.
        ordered = sorted(read)
        for k in range(len(CLASSES)):
            data = {name: hostile_value(i, k, rotation) for i, name in enumerate(ordered)}
            before = len(self.failures)
            self.request(method, url, data)
            if len(self.failures) > before and len(data) > 1:
                self.pinpoint(method, url, data, before)

    def pinpoint(self, method: str, url: str, data: dict, before: int) -> None:
        """Replace a failure of many names by the names that fail alone, when some do."""
        combined = self.failures[before:]
        del self.failures[before:]
        for name, value in data.items():
            self.request(method, url, {name: value})
        if len(self.failures) == before:
            self.failures += combined


CLASSES = list(HOSTILE_CLASSES.values())
# A body larger than any page takes (the largest, an account archive, is 51 MB), as the request
# claims it: the view must answer (413, a redirect to log in, ...) before reading it, never 500.
OVERSIZED = str(1 << 30)


def describe_extra(extra: dict) -> str:
    return f" (CONTENT_LENGTH {extra['CONTENT_LENGTH']})" if "CONTENT_LENGTH" in extra else ""


def hostile_value(i: int, k: int, rotation: int) -> str:
    """The value the i-th name a view reads gets in the k-th request of its URL: a value of the
    (i + k)-th class, so in len(CLASSES) requests every name gets every class once (not the
    cross product of names and values). Within a class the value moves on with the request, with
    the name (names of one class in one request get different values) and with the URL's
    ``rotation``, so a view that reads a single name still gets different values from its
    neighbours in the URL map."""
    values = CLASSES[(i + k) % len(CLASSES)]
    return values[(rotation + i // len(CLASSES) + k) % len(values)]


def rotation(route: Route, method: str) -> int:
    """A fixed rotation for one URL and method: the same values on every run and every machine
    (a checksum, not ``hash()``, which changes with PYTHONHASHSEED)."""
    return zlib.crc32(f"{method} {route.name}".encode())


ALL_NAMES: set[str] = set()


def sweep_route(sweep: Sweep, route: Route, world: dict) -> None:
    global ALL_NAMES
    if not ALL_NAMES:
        ALL_NAMES = form_field_names() | set(FIXED_NAMES)
    kwargs = real_kwargs(route, world)
    if kwargs is not None:
        url = reverse(route.name, kwargs=kwargs)
        for method in ("get", "post"):
            status, read = sweep.request(method, url)
            if status != 405:
                sweep.sweep_values(method, url, ALL_NAMES | read, read, rotation(route, method))
        sweep.request("post", url, CONTENT_LENGTH=OVERSIZED)
    for variant in hostile_kwargs(route, world):
        url = reverse(route.name, kwargs=variant)
        for method in ("get", "post"):
            sweep.request(method, url, dict.fromkeys(ALL_NAMES, "²"))


ROUTES = all_routes()
CYCLES_ROUTES = [route for route in ROUTES if route.namespace == "cycles"]


def route_id(route: Route) -> str:
    return route.name  # "cycles:list_add": ``-k cycles`` runs a namespace


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """alice's world, built once per module run (once per pytest-xdist worker), inside a
    transaction rolled back when the module's tests are done: no other module sees its rows.
    Each test runs in a savepoint of it (pytest-django's ``db``), each request of the sweep in a
    savepoint of that, so nothing one test or request writes reaches the next."""
    from tests.personas import make_user

    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            alice = make_user("alice")
            built = {
                **build_world(alice),
                "alice": alice,
                "match_admin": make_user("dave", role="match_admin"),
            }
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def sweep_as(monkeypatch, user, route: Route, world: dict) -> None:
    """Sweep one URL pattern as a user (None: an anonymous visitor); fails with every 500."""
    from django.core.cache import cache

    cache.clear()  # an earlier URL's requests must not have used up a rate limit of this one
    recorder = Recorder()
    recorder.install(monkeypatch)
    client = Client()
    relogin = None
    if user is not None:
        client.force_login(user)

        def relogin():
            client.force_login(user)

    sweep = Sweep(client, relogin, recorder, [])
    sweep_route(sweep, route, world)
    assert sweep.count > 0
    failures = sweep.failures
    assert not failures, f"{len(failures)} of {sweep.count} requests failed:\n" + (
        "\n".join(failures)
    )


@pytest.mark.parametrize("route", ROUTES, ids=route_id)
@pytest.mark.parametrize("who", ["anonymous", "student"])
def test_it_never_answers_a_hostile_value_with_a_500(monkeypatch, world, who, route):
    sweep_as(monkeypatch, world["alice"] if who == "student" else None, route, world)


@pytest.mark.parametrize("route", CYCLES_ROUTES, ids=route_id)
def test_it_never_answers_a_hostile_value_with_a_500_to_a_match_administrator(
    monkeypatch, world, route
):
    """The match cycles' pages are 404s for everyone above; their forms are swept as the match
    administrator who runs them."""
    sweep_as(monkeypatch, world["match_admin"], route, world)


def test_it_sweeps_every_url_of_the_url_map_as_each_persona():
    """The sweep is one test per URL pattern: a URL added to the map is a new test."""
    assert {route.name for route in ROUTES} == {route.name for route in all_routes()}
    assert CYCLES_ROUTES and all(route.name.startswith("cycles:") for route in CYCLES_ROUTES)


def test_it_sends_every_hostile_value_somewhere():
    """The rotation reaches every value of every class even for views that read a single name
    (the least any view reads), over the URL map's URLs; and each name gets every class."""
    sent = {
        hostile_value(0, k, rotation(route, method))
        for route in ROUTES
        for method in ("get", "post")
        for k in range(len(CLASSES))
    }
    assert sent == set(HOSTILE)
    for i in range(3 * len(CLASSES)):
        classes = {
            next(n for n, values in enumerate(CLASSES) if hostile_value(i, k, 7) in values)
            for k in range(len(CLASSES))
        }
        assert classes == set(range(len(CLASSES)))
    many = [hostile_value(i, 0, 7) for i in range(max(map(len, CLASSES)) * len(CLASSES))]
    assert set(many) == set(HOSTILE)  # one request to a view reading many names sends them all


def test_it_knows_an_object_for_every_url_with_an_id():
    unknown = [
        route.name
        for route in all_routes()
        if "pk" in route.converters and route.name not in OBJECTS
    ]
    assert not unknown, f"add the object each of these URLs needs to OBJECTS: {unknown}"


def test_it_fills_every_path_argument_of_every_url():
    """Every path argument of every URL names a real object (``pk`` through OBJECTS, any other
    name through ARGUMENTS or TOKENS), or the URL says in NOT_FILLED why none can: a new URL is
    never swept with hostile path values alone without anyone deciding so."""
    unfilled = [
        f"{route.name} <{name}>"
        for route in ROUTES
        if route.name not in NOT_FILLED
        for name in route.converters
        if not (
            (name == "pk" and route.name in OBJECTS)
            or (name != "pk" and name in ARGUMENTS)
            or (name == "token" and route.name in TOKENS)
            or name == "step"
        )
    ]
    assert not unfilled, f"add these path arguments to OBJECTS or ARGUMENTS: {unfilled}"
    names = {route.name for route in ROUTES}
    stale = [name for name in [*OBJECTS, *TOKENS, *NOT_FILLED] if name not in names]
    assert not stale, f"these URLs are gone from the URL map: {stale}"


def test_it_has_every_object_it_names(world):
    named = {*OBJECTS.values(), *ARGUMENTS.values(), *TOKENS.values()}
    assert not named - set(world), f"build_world makes none of {sorted(named - set(world))}"
    filled = [route for route in ROUTES if real_kwargs(route, world) is not None]
    assert (
        not {route.name for route in ROUTES if route.converters}
        - {route.name for route in filled}
        - set(NOT_FILLED)
    )


def test_it_walks_every_namespace_of_the_url_map():
    names = {route.name for route in all_routes()}
    assert {"catalog:compare", "letters:portal", "accounts:password_reset_confirm"} <= names
    assert {"home", "goals:step", "interviews:thank_you"} <= names
    assert not any(name.startswith("admin:") for name in names)


def test_it_shows_every_page_when_saved_dates_are_at_the_ends_of_the_calendar(world):
    """Rows saved before the forms bounded dates (or written by an import) may hold 9999-12-31 or
    0001-01-01: every page and file of the URL map still answers, without a 500."""
    from medmatch.applications.models import Application, CVEntry, Requirement
    from medmatch.interviews.models import Interview
    from medmatch.letters.models import LetterRequest
    from medmatch.research.models import Conversation

    last, first = datetime.date.max, datetime.date.min
    Application.objects.filter(pk=world["application"].pk).update(deadline=last, opens_on=first)
    Requirement.objects.filter(pk=world["requirement"].pk).update(due_on=last)
    LetterRequest.objects.filter(pk=world["letter_request"].pk).update(due_on=last, asked_on=first)
    Conversation.objects.filter(pk=world["conversation"].pk).update(follow_up_on=last)
    CVEntry.objects.filter(pk=world["cv_entry"].pk).update(start_date=first, end_date=last)
    Interview.objects.filter(pk=world["interview"].pk).update(
        starts_at=datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.UTC),
        time_zone="Etc/GMT-14",  # local time past 9999-12-31
    )
    client = Client()
    client.force_login(world["alice"])
    failures = []
    for route in all_routes():
        kwargs = real_kwargs(route, world)
        if kwargs is None:
            continue
        url = reverse(route.name, kwargs=kwargs)
        try:
            with transaction.atomic():
                status = client.get(url).status_code
                transaction.set_rollback(True)
        except Exception as error:  # collected, reported below
            failures.append(f"GET {url}: {type(error).__name__}: {str(error)[:200]}")
            continue
        if status >= 500:
            failures.append(f"GET {url}: {status}")
    assert not failures, "\n".join(failures)


def test_it_refuses_a_huge_application_id_in_the_letter_request_form(client, world):
    client.force_login(world["alice"])
    data = {"recommender": world["recommender"].pk, "applications": "99999999999999999999"}
    response = client.post(reverse("letters:request_create"), data)
    assert response.status_code == 200


def test_it_bounds_every_number_and_date_field_of_every_form():
    from medmatch.lib.forms import BoundedDateField, BoundedDateTimeField, BoundedIntegerField

    unbounded = []
    for cls in form_classes():
        for name, field in getattr(cls, "base_fields", {}).items():
            if isinstance(field, forms.DateTimeField):
                ok = isinstance(field, BoundedDateTimeField)
            elif isinstance(field, forms.DateField):
                ok = isinstance(field, BoundedDateField)
            elif isinstance(field, forms.FloatField | forms.DecimalField):
                # float() and Decimal() refuse "\u00b2"; a bound keeps 1e300 out of the engines.
                ok = field.max_value is not None and field.min_value is not None
                ok = ok or getattr(field, "max_digits", None) is not None
            elif isinstance(field, forms.IntegerField):
                ok = isinstance(field, BoundedIntegerField)
            else:
                continue
            if not ok:
                unbounded.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert not unbounded, "use lib.forms' bounded fields (or bounded_formfield) for: " + ", ".join(
        unbounded
    )


def test_it_refuses_a_300_character_username_at_log_in(client, db):
    response = client.post(reverse("accounts:login"), {"username": "x" * 300, "password": "x"})
    assert response.status_code == 200
