"""What the interviews app plugs into the applications app (registered in InterviewsConfig.ready):
events for its calendar and upcoming interviews for its "what is next" list."""

import datetime

from medmatch.applications.models import DUE_SOON_DAYS
from medmatch.applications.next_steps import Step
from medmatch.interviews.calendar import interview_event
from medmatch.interviews.models import Interview


def interview_events(applications, *, url_for, now):
    interviews = Interview.objects.filter(application__in=_pks(applications)).with_program()
    return [interview_event(interview, url_for=url_for, now=now) for interview in interviews]


def interview_steps(applications, today: datetime.date) -> list[Step]:
    """An interview in the next DUE_SOON_DAYS days (today included) is a "soon" step."""
    by_pk = {application.pk: application for application in applications}
    interviews = Interview.objects.filter(application__in=list(by_pk)).order_by("starts_at")
    steps = []
    for interview in interviews:
        local = interview.local_start
        if not today <= local.date() <= today + datetime.timedelta(days=DUE_SOON_DAYS):
            continue
        text = (
            f"{interview.get_format_display()} interview at {local:%H:%M} "
            f"({interview.time_zone}) — practise and prepare your questions"
        )
        steps.append(Step("soon", by_pk[interview.application_id], text, local.date()))
    return steps


def _pks(applications) -> list[int]:
    return [application.pk for application in applications]
