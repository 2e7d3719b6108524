"""Lead-time planning for letters of recommendation: when to ask, and which requests are at risk.

Plain data in, a frozen ``Plan`` out; no Django. The letters app turns a request and the deadlines
of its applications into ``Deadline`` values and shows the plan's state and reasons.

The rule of thumb the defaults encode: ask a recommender at least six weeks before the earliest
deadline the letter is for, and ask for the letter a week before that deadline, so a late upload
still makes it. The seed article asks only for "plenty of time"; four to six weeks is the range
medical schools' advising offices commonly give, and we take its upper end. The one-week buffer and
the two-week "at risk" window are medmatch's own choices. All three are parameters (``Policy``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

STATUSES = ("to_ask", "asked", "agreed", "declined", "submitted")
STATES = ("on_track", "at_risk", "late", "done", "unknown")


@dataclass(frozen=True)
class Deadline:
    """One deadline a letter must meet.

    ``at`` is a date (the whole day counts, up to midnight in ``tz``), a naive datetime (read in
    ``tz``) or an aware datetime (``tz`` is ignored). An empty ``tz`` means the planner's own zone.
    """

    at: datetime.date | datetime.datetime
    tz: str = ""
    label: str = ""


@dataclass(frozen=True)
class Policy:
    """How far ahead to ask (``lead_days``), how soon before a limit a request is "at risk"
    (``warn_days``) and how long before the deadline to ask the letter for (``due_buffer_days``)."""

    lead_days: int = 42
    warn_days: int = 14
    due_buffer_days: int = 7

    def __post_init__(self) -> None:
        for name in ("lead_days", "warn_days", "due_buffer_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name}: must be a whole number of days >= 0, got {value!r}")


@dataclass(frozen=True)
class Plan:
    """``state`` is one of STATES; ``reasons`` say why in words a student can act on.

    ``deadline_day`` is the last day, in the planner's zone, before the earliest deadline passes;
    ``ask_by`` and ``suggested_due`` count back from it. All three are None when no deadline is
    known.
    """

    state: str
    earliest: Deadline | None
    deadline_day: datetime.date | None
    ask_by: datetime.date | None
    suggested_due: datetime.date | None
    reasons: tuple[str, ...]


def deadline_end(deadline: Deadline, zone: str = "UTC") -> datetime.datetime:
    """The aware instant at which ``deadline`` has passed.

    Takes a Deadline and the zone to read it in when it names none. Returns an aware datetime:
    a date's deadline ends at the following midnight in its zone (the whole day counts); a
    datetime's deadline is that instant. Raises ValueError for an unknown zone name.
    """
    at = deadline.at
    tzinfo = _zone(deadline.tz or zone)
    if isinstance(at, datetime.datetime):
        return at if at.tzinfo is not None else at.replace(tzinfo=tzinfo)
    next_day = at + datetime.timedelta(days=1)
    return datetime.datetime.combine(next_day, datetime.time(), tzinfo=tzinfo)


def last_day(deadline: Deadline, zone: str = "UTC") -> datetime.date:
    """The last calendar day in ``zone`` on which ``deadline`` can still be met.

    Steps: take the deadline's end instant (``deadline_end``), step back one microsecond so a
    midnight end belongs to the day before, and read the date in ``zone``. A Los Angeles deadline
    at the end of 1 October is still open on 2 October in Berlin (until 08:59).
    """
    end = deadline_end(deadline, zone) - datetime.timedelta(microseconds=1)
    return end.astimezone(_zone(zone)).date()


def plan_letter(
    deadlines: Sequence[Deadline],
    *,
    today: datetime.date,
    status: str,
    asked_on: datetime.date | None = None,
    due_on: datetime.date | None = None,
    zone: str = "UTC",
    policy: Policy = Policy(),
) -> Plan:
    """Plan one letter request.

    Takes the known deadlines of the applications the letter is for (unknown ones left out),
    ``today`` in ``zone`` (the student's zone), the request's ``status`` (one of STATUSES), the
    date it was asked and the due date given to the recommender, if any.

    Returns a Plan. Steps:
    1. The earliest deadline is the one whose end instant comes first (instants, not dates: a
       Tokyo midnight passes before a Los Angeles one on the same date); its last day in
       ``zone`` is ``deadline_day``. ``ask_by`` = deadline_day - lead_days; ``suggested_due``
       = deadline_day - due_buffer_days.
    2. State: "done" once submitted; "unknown" with no deadline; otherwise
       - not asked yet (to_ask, or declined — someone else must be asked): "late" after
         ``ask_by`` (or after the deadline), "at_risk" within ``warn_days`` of ``ask_by``;
       - asked or agreed: "late" after the deadline or after ``due_on``; "at_risk" when it was
         asked after ``ask_by`` or the deadline is within ``warn_days``;
       - "on_track" otherwise.
    3. A date at an end of the calendar (9999-12-31 or 0001-01-01, a typo saved before the
       forms bounded dates) leaves no room to count days: the plan is "unknown" ("done" once
       submitted) with a reason naming the date, instead of an OverflowError.
    Source: the six-week lead time is common advising practice (module docstring); the rest is ours.
    """
    if status not in STATUSES:
        raise ValueError(f"status: must be one of {', '.join(STATUSES)}; got {status!r}")
    try:
        return _plan_letter(deadlines, today, status, asked_on, due_on, zone, policy)
    except OverflowError:
        dates = [d.at for d in deadlines] + [day for day in (asked_on, due_on) if day]
        far = ", ".join(sorted({_d(day) for day in dates if not 1900 <= day.year <= 2100}))
        reason = f"A date ({far or 'one of them'}) is too far off to plan from: check its year."
        state = "done" if status == "submitted" else "unknown"
        return Plan(state, None, None, None, None, (reason,))


def _plan_letter(deadlines, today, status, asked_on, due_on, zone, policy) -> Plan:
    if status == "submitted":
        earliest, day = _earliest(deadlines, zone)
        return _plan("done", earliest, day, policy, ("The letter is in.",))
    earliest, day = _earliest(deadlines, zone)
    if earliest is None:
        reasons = ("No deadline is known for these applications yet: ask as early as you can.",)
        if status == "declined":
            reasons = ("Declined — ask someone else.", *reasons)
        return _plan("at_risk" if status == "declined" else "unknown", None, None, policy, reasons)
    ask_by = day - datetime.timedelta(days=policy.lead_days)
    if status in ("to_ask", "declined"):
        state, reasons = _not_asked(today, day, ask_by, policy)
        if status == "declined":
            state = "late" if state == "late" else "at_risk"
            reasons = ("Declined — ask someone else.", *reasons)
    else:
        state, reasons = _asked(today, day, ask_by, asked_on, due_on, policy)
    return _plan(state, earliest, day, policy, reasons)


def _not_asked(today, day, ask_by, policy):
    where = f"{policy.lead_days} days before the earliest deadline ({_d(day)})"
    if today > day:
        return "late", (f"The earliest deadline ({_d(day)}) has passed.",)
    if today > ask_by:
        left = (day - today).days
        return "late", (
            f"Ask now: {left} day{_s(left)} remain before the earliest deadline ({_d(day)}); "
            f"the plan was to ask by {_d(ask_by)}, {policy.lead_days} days before it.",
        )
    if (ask_by - today).days <= policy.warn_days:
        left = (ask_by - today).days
        return "at_risk", (f"Ask by {_d(ask_by)} (in {left} day{_s(left)}), {where}.",)
    return "on_track", (f"Ask by {_d(ask_by)}, {where}.",)


def _asked(today, day, ask_by, asked_on, due_on, policy):
    if today > day:
        return "late", (f"The earliest deadline ({_d(day)}) has passed and the letter is not in.",)
    if due_on is not None and today > due_on:
        return "late", (f"The letter was due on {_d(due_on)} and is not in yet.",)
    reasons = []
    if asked_on is not None and asked_on > ask_by:
        notice = (day - asked_on).days
        reasons.append(
            f"Asked on {_d(asked_on)}, {notice} day{_s(notice)} before the earliest deadline "
            f"— less than the {policy.lead_days} days recommenders should get."
        )
    left = (day - today).days
    if left <= policy.warn_days:
        reasons.append(f"The earliest deadline is in {left} day{_s(left)} ({_d(day)}).")
    if reasons:
        return "at_risk", tuple(reasons)
    return "on_track", (f"The earliest deadline is {_d(day)}; the letter is on its way.",)


def _earliest(deadlines, zone):
    if not deadlines:
        return None, None
    earliest = min(deadlines, key=lambda deadline: deadline_end(deadline, zone))
    return earliest, last_day(earliest, zone)


def _plan(state, earliest, day, policy, reasons) -> Plan:
    if day is None:
        return Plan(state, earliest, None, None, None, tuple(reasons))
    return Plan(
        state=state,
        earliest=earliest,
        deadline_day=day,
        ask_by=day - datetime.timedelta(days=policy.lead_days),
        suggested_due=day - datetime.timedelta(days=policy.due_buffer_days),
        reasons=tuple(reasons),
    )


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError) as error:  # ZoneInfoNotFoundError is a KeyError
        raise ValueError(f"tz: unknown time zone {name!r}") from error


def _d(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _s(count: int) -> str:
    return "" if count == 1 else "s"
