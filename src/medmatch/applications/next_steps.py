"""The dashboard's "what is next" list across all of a student's applications.

Takes applications with their requirements prefetched and ``today`` explicitly (so tests fix the
date), and returns a list in the order a student should act on it:

1. overdue deadlines, oldest first;
2. deadlines due within DUE_SOON_DAYS, soonest first;
3. one next step per open application, by stage and then by deadline (unknown last).

The requirements due with the application are one item on its deadline ("Submit the application —
3 requirements still open"; after submission, while some are still open, "3 requirements still
open"); a requirement with a due date of its own is an item of its own.
"""

import datetime
from dataclasses import dataclass

from medmatch.applications.models import Application, Requirement, date_state

Status = Application.Status
_STAGE = {status: position for position, status in enumerate(Status.values)}

# Extension point: other apps add dated steps (e.g. upcoming interviews) to the list. A provider
# is called as ``provider(applications, today)`` with the open applications and returns ``Step``s
# whose urgency is "overdue" or "soon"; they are sorted in with the deadlines. The interviews app
# registers one in its AppConfig.ready().
STEP_PROVIDERS: list = []


def register_step_provider(provider) -> None:
    if provider not in STEP_PROVIDERS:
        STEP_PROVIDERS.append(provider)


@dataclass(frozen=True)
class Step:
    urgency: str  # "overdue", "soon" or "next"
    application: Application
    text: str
    due_on: datetime.date | None = None
    requirement: Requirement | None = None


def next_steps(applications, today: datetime.date) -> list[Step]:
    dated: list[Step] = []
    later: list[Step] = []
    open_applications = [application for application in applications if not application.is_closed]
    for application in open_applications:
        requirements = list(application.requirements.all())
        dated.extend(_dated_steps(application, requirements, today))
        later.append(_stage_step(application, requirements))
    for provider in STEP_PROVIDERS:  # see the extension point above
        dated.extend(provider(open_applications, today))
    dated.sort(key=lambda step: (step.urgency != "overdue", step.due_on, step.application.pk))
    later.sort(
        key=lambda step: (
            _STAGE[step.application.status],
            step.application.deadline is None,
            step.application.deadline or datetime.date.max,
            step.application.program.title,
        )
    )
    return dated + later


def _dated_steps(application, requirements, today):
    open_with_it = [r for r in requirements if not r.done and r.due_on is None]
    if application.status in Application.BEFORE_SUBMISSION:
        state = application.deadline_state(today)
        text = "Submit the application"
        if open_with_it:
            text += f" — {len(open_with_it)} requirement{_s(open_with_it)} still open"
    else:
        state = date_state(application.deadline, today) if open_with_it else ""
        count = len(open_with_it)
        text = f"{count} requirement{_s(open_with_it)} still open, due with the application"
    if state in ("overdue", "soon"):
        yield Step(state, application, text, application.deadline)
    for requirement in requirements:
        if requirement.due_on is None:
            continue  # counted with the application's own deadline above
        state = requirement.due_state(today)
        if state in ("overdue", "soon"):
            yield Step(state, application, requirement.title, requirement.due_on, requirement)


def _stage_step(application, requirements) -> Step:
    done = sum(1 for r in requirements if r.done)
    open_ = [r for r in requirements if not r.done]
    status = application.status
    if status == Status.RESEARCHING:
        text = "Decide whether to apply"
        if application.deadline is None:
            text += " — the deadline is unknown: look it up on the program's website"
    elif status == Status.PREPARING:
        text = f"{done} of {len(requirements)} requirements done"
        if open_:
            text += f" — next: {open_[0].title}"
    elif status == Status.SUBMITTED:
        text = "Submitted — wait for interview invitations"
        if open_:
            text += f"; {len(open_)} requirement{_s(open_)} still open"
    elif status == Status.INTERVIEW_INVITED:
        text = "Schedule the interview and prepare for it"
    elif status == Status.INTERVIEWED:
        text = "Write down your impressions while they are fresh, then decide where to rank it"
    else:  # ranked
        text = "Ranked — the result comes on Match Day"
    return Step("next", application, text, application.deadline)


def _s(items) -> str:
    return "" if len(items) == 1 else "s"
