"""Where the letters app meets the lead-time planner: requests and their applications become
plain ``Deadline`` values here, in one place, and plans come back for the pages, the dashboard
panel and the reminders."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from medmatch.applications.models import Application, Requirement
from medmatch.letters import conf
from medmatch.letters.lead_time import Deadline, Plan, plan_letter
from medmatch.letters.models import LetterRequest

STATE_LABELS = {
    "on_track": "On track",
    "at_risk": "At risk",
    "late": "Late",
    "done": "Done",
    "unknown": "Deadline unknown",
}


def today() -> datetime.date:
    return timezone.localdate()


def deadlines_of(applications) -> list[Deadline]:
    # Catalog deadlines are dates without a zone: read in the site's zone (TIME_ZONE).
    return [
        Deadline(application.deadline, label=str(application.program.title))
        for application in applications
        if application.deadline is not None and not application.is_closed
    ]


def plan_for(request: LetterRequest, on: datetime.date) -> Plan:
    return plan_letter(
        deadlines_of(request.applications.all()),
        today=on,
        status=request.status,
        asked_on=request.asked_on,
        due_on=request.due_on,
        zone=timezone.get_current_timezone_name(),
        policy=conf.policy(),
    )


def plan_for_applications(applications, on: datetime.date) -> Plan:
    """The plan for a request not made yet: what the request form suggests."""
    return plan_letter(
        deadlines_of(applications),
        today=on,
        status=LetterRequest.Status.TO_ASK,
        zone=timezone.get_current_timezone_name(),
        policy=conf.policy(),
    )


def requests_with_applications(user):
    return (
        LetterRequest.objects.for_student(user)
        .select_related("recommender", "letter")
        .prefetch_related(
            Prefetch("applications", queryset=Application.objects.with_program().order_by("pk"))
        )
    )


@dataclass(frozen=True)
class Flag:
    request: LetterRequest
    plan: Plan

    @property
    def label(self) -> str:
        return STATE_LABELS[self.plan.state]


def flagged(requests, on: datetime.date) -> list[Flag]:
    """Late requests first, then those at risk, each by their earliest deadline."""
    flags = [Flag(request, plan_for(request, on)) for request in requests]
    flags = [flag for flag in flags if flag.plan.state in ("late", "at_risk")]
    flags.sort(
        key=lambda flag: (
            flag.plan.state != "late",
            flag.plan.deadline_day or datetime.date.max,
            flag.request.pk,
        )
    )
    return flags


def dashboard_panel_context(user, on: datetime.date | None = None) -> dict:
    """Context for ``letters/_dashboard_panel.html``: the student's late and at-risk requests.

    A dashboard panel of the applications app (``LettersConfig.ready`` registers it)."""
    on = on or today()
    requests = list(requests_with_applications(user))
    return {"letter_flags": flagged(requests, on), "letter_requests_total": len(requests)}


@dataclass(frozen=True)
class Coverage:
    """How far an open application's letters are: how many its checklist asks for, how many are
    assigned (declined ones do not count), and whether one comes from its specialty."""

    application: Application
    wanted: int
    assigned: int
    specialty_covered: bool | None  # None = the program's specialty is unknown

    @property
    def missing(self) -> list[str]:
        gaps = []
        if self.assigned < self.wanted:
            short = self.wanted - self.assigned
            gaps.append(f"{short} more letter{'' if short == 1 else 's'}")
        if self.specialty_covered is False:
            gaps.append(f"a letter from {self.application.program.specialty.name}")
        return gaps


def coverage(user) -> list[Coverage]:
    """Open applications that still lack letters, with what they lack."""
    applications = (
        Application.objects.for_student(user)
        .with_program()
        .exclude(status__in=Application.CLOSED)
        .prefetch_related(
            Prefetch(
                "letter_requests",
                queryset=LetterRequest.objects.exclude(
                    status=LetterRequest.Status.DECLINED
                ).select_related("recommender__specialty"),
            ),
            Prefetch(
                "requirements",
                queryset=Requirement.objects.filter(kind=Requirement.Kind.LETTER),
                to_attr="letter_requirements",
            ),
        )
        .order_by("deadline", "pk")
    )
    rows = []
    for application in applications:
        requests = list(application.letter_requests.all())
        specialty = application.program.specialty
        covered = None
        if specialty is not None:
            wanted_ids = {specialty.pk, specialty.equivalent_id} - {None}
            covered = any(
                r.recommender.specialty_id in wanted_ids
                or (r.recommender.specialty and r.recommender.specialty.equivalent_id in wanted_ids)
                for r in requests
            )
        row = Coverage(application, len(application.letter_requirements), len(requests), covered)
        if row.missing:
            rows.append(row)
    return rows
