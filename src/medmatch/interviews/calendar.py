"""Interviews as iCalendar events (RFC 5545): in the applications' calendar (download and private
feed, through its event-provider hook) and as a download of their own.

Times are written in UTC, which every calendar app reads; the local time and zone the program gave
are in the description. UIDs are built from the row ids, so a re-import updates in place.
"""

import datetime

from icalendar import Calendar, Event

from medmatch.applications.calendar import UID_DOMAIN

PRODID = "-//medmatch//interviews//EN"


def interview_event(interview, *, url_for, now: datetime.datetime) -> Event:
    program = interview.application.program
    where = f"{program.title} — {program.institution.name}"
    local = interview.local_start
    lines = [
        f"{interview.get_format_display()} interview, {local:%d %b %Y %H:%M} "
        f"({interview.time_zone}), {interview.duration_minutes} minutes."
    ]
    if interview.interviewer_names:
        lines.append("Interviewers: " + ", ".join(interview.interviewer_names))
    if interview.link:
        lines.append(f"Link: {interview.link}")
    event = Event()
    event.add("uid", f"interview-{interview.pk}@{UID_DOMAIN}")
    event.add("dtstamp", now)
    event.add("dtstart", interview.starts_at.astimezone(datetime.UTC))
    event.add("dtend", interview.ends_at.astimezone(datetime.UTC))
    event.add("summary", f"Interview: {where}")
    event.add("description", "\n".join(lines))
    if interview.where:
        event.add("location", interview.where)
    event.add("url", url_for(interview))
    return event


def build_interview_calendar(interviews, *, url_for, now: datetime.datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "medmatch interviews")
    for interview in interviews:
        calendar.add_component(interview_event(interview, url_for=url_for, now=now))
    return calendar.to_ical()
