"""Every deadline of a student's applications as an iCalendar file (RFC 5545).

One all-day event per known deadline: each application's submission deadline, and each
requirement that has a due date of its own (the others are due with the application and listed in
its event). UIDs are built from the row ids, so a calendar that re-imports or subscribes updates
the events in place instead of duplicating them. Unknown deadlines are not guessed into the file.
"""

import datetime

from icalendar import Calendar, Event

PRODID = "-//medmatch//application deadlines//EN"
UID_DOMAIN = "medmatch"

# Extension point: other apps add their own events for the same applications to this calendar
# (the download and the private feed). A provider is called as
# ``provider(applications, url_for=..., now=...)`` and returns icalendar ``Event``s; ``url_for``
# turns any object with ``get_absolute_url`` into an absolute URL. The interviews app registers
# one in its AppConfig.ready().
EVENT_PROVIDERS: list = []


def register_event_provider(provider) -> None:
    if provider not in EVENT_PROVIDERS:
        EVENT_PROVIDERS.append(provider)


def build_calendar(applications, *, url_for, now: datetime.datetime) -> bytes:
    """``applications`` with program, requirements prefetched; ``url_for(application)`` is the
    absolute URL of its page; ``now`` stamps the events (DTSTAMP)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "medmatch deadlines")
    for application in applications:
        program = application.program
        where = f"{program.title} — {program.institution.name}"
        url = url_for(application)
        requirements = list(application.requirements.all())
        if application.deadline:
            open_items = [r.title for r in requirements if not r.done and r.due_on is None]
            description = f"Status: {application.get_status_display()}."
            if open_items:
                description += "\nStill open:\n" + "\n".join(f"- {title}" for title in open_items)
            calendar.add_component(
                _event(
                    uid=f"application-{application.pk}-deadline@{UID_DOMAIN}",
                    day=application.deadline,
                    summary=f"Application deadline: {where}",
                    description=description,
                    url=url,
                    now=now,
                )
            )
        for requirement in requirements:
            if requirement.due_on is None:
                continue
            done = " (done)" if requirement.done else ""
            calendar.add_component(
                _event(
                    uid=f"requirement-{requirement.pk}@{UID_DOMAIN}",
                    day=requirement.due_on,
                    summary=f"{requirement.title}{done}: {where}",
                    description=f"{requirement.get_kind_display()} for {where}.",
                    url=url,
                    now=now,
                )
            )
    for provider in EVENT_PROVIDERS:  # see the extension point above
        for event in provider(applications, url_for=url_for, now=now):
            calendar.add_component(event)
    return calendar.to_ical()


def _event(*, uid, day, summary, description, url, now) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("dtstart", day)  # a date, not a datetime: an all-day event
    # The day after, except for 9999-12-31 (a row saved before dates were bounded): one day.
    event.add("dtend", day + datetime.timedelta(days=1) if day < datetime.date.max else day)
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")  # a deadline does not make you busy all day
    return event
