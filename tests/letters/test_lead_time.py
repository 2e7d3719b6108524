# ruff: noqa: E501 — the case table reads best one case to a line
"""The lead-time planner, table-driven: deadlines in several time zones, several deadlines per
letter, requests already late, and the states a request moves through."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from medmatch.letters.lead_time import Deadline, Policy, deadline_end, last_day, plan_letter

D = datetime.date
UTC = datetime.UTC


def at(text: str, zone: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


# (deadline, planner zone, last day on which it can still be met in that zone)
LAST_DAY_CASES = [
    (Deadline(D(2025, 10, 1)), "UTC", D(2025, 10, 1)),
    # The whole of 1 October in Los Angeles is still 2 October in Berlin until 08:59.
    (Deadline(D(2025, 10, 1), tz="America/Los_Angeles"), "Europe/Berlin", D(2025, 10, 2)),
    # Midnight in Tokyo at the end of 1 October is still 1 October in New York (11:00).
    (Deadline(D(2025, 10, 1), tz="Asia/Tokyo"), "America/New_York", D(2025, 10, 1)),
    # 09:00 on 1 October in Tokyo is still 30 September (14:00) in Honolulu.
    (
        Deadline(datetime.datetime(2025, 10, 1, 9, 0), tz="Asia/Tokyo"),
        "Pacific/Honolulu",
        D(2025, 9, 30),
    ),
    # An aware datetime is an instant: noon UTC is 14:00 in Berlin, the same day.
    (Deadline(at("2025-10-01T12:00", "UTC")), "Europe/Berlin", D(2025, 10, 1)),
    # A deadline at exactly midnight has passed as that day starts: the day before is the last.
    (Deadline(at("2025-10-01T00:00", "UTC")), "UTC", D(2025, 9, 30)),
    # A naive datetime is read in its own zone, then in the planner's.
    (
        Deadline(datetime.datetime(2025, 10, 1, 17, 0), tz="America/Chicago"),
        "Asia/Kolkata",
        D(2025, 10, 2),
    ),
    # A date without a zone is read in the planner's zone.
    (Deadline(D(2025, 3, 30)), "Europe/London", D(2025, 3, 30)),
]


@pytest.mark.parametrize(("deadline", "zone", "expected"), LAST_DAY_CASES)
def test_it_finds_the_last_day_across_time_zones(deadline, zone, expected):
    assert last_day(deadline, zone) == expected


def test_it_orders_deadlines_by_instant_not_by_date():
    # Same date, but Tokyo's midnight comes 16 hours before Los Angeles'.
    tokyo = Deadline(D(2025, 10, 1), tz="Asia/Tokyo", label="Tokyo")
    los_angeles = Deadline(D(2025, 10, 1), tz="America/Los_Angeles", label="LA")
    plan = plan_letter([los_angeles, tokyo], today=D(2025, 6, 1), status="to_ask")
    assert plan.earliest.label == "Tokyo"
    assert deadline_end(tokyo) < deadline_end(los_angeles)
    assert plan.deadline_day == D(2025, 10, 1)  # Tokyo's midnight is 15:00 UTC on the 1st


OCT_1 = Deadline(D(2025, 10, 1), label="Columbia")
NOV_15 = Deadline(D(2025, 11, 15), label="MGH")

ASK_BY = D(2025, 8, 20)  # six weeks before 1 October


def case(name, today, status, state, reason, *, deadlines=(OCT_1,), asked=None, due=None):
    """One row: ``reason`` is the start of the plan's first reason."""
    return pytest.param(list(deadlines), today, status, asked, due, state, reason, id=name)


PLAN_CASES = [
    case("far ahead", D(2025, 6, 1), "to_ask", "on_track", "Ask by 20 Aug 2025"),
    case("two weeks before ask-by", D(2025, 8, 6), "to_ask", "at_risk", "Ask by 20 Aug 2025 (in 14 days)"),
    case("on the ask-by day", D(2025, 8, 20), "to_ask", "at_risk", "Ask by 20 Aug 2025 (in 0 days)"),
    case("a day past ask-by", D(2025, 8, 21), "to_ask", "late", "Ask now: 41 days remain"),
    case("deadline passed, never asked", D(2025, 10, 2), "to_ask", "late", "The earliest deadline (1 Oct 2025) has passed"),
    case("the earliest of several counts", D(2025, 8, 10), "to_ask", "at_risk", "Ask by 20 Aug 2025", deadlines=(NOV_15, OCT_1)),
    case("asked in time", D(2025, 8, 1), "asked", "on_track", "The earliest deadline is 1 Oct 2025", asked=D(2025, 7, 1)),
    case("asked too late", D(2025, 9, 1), "agreed", "at_risk", "Asked on 1 Sep 2025, 30 days before", asked=D(2025, 9, 1)),
    case("deadline close, no letter", D(2025, 9, 20), "agreed", "at_risk", "The earliest deadline is in 11 days", asked=D(2025, 7, 1)),
    case("past the due date given", D(2025, 9, 25), "asked", "late", "The letter was due on 24 Sep 2025", asked=D(2025, 7, 1), due=D(2025, 9, 24)),
    case("deadline passed, asked", D(2025, 10, 2), "asked", "late", "The earliest deadline (1 Oct 2025) has passed and", asked=D(2025, 7, 1)),
    case("declined in good time", D(2025, 6, 1), "declined", "at_risk", "Declined — ask someone else.", asked=D(2025, 5, 1)),
    case("declined too late", D(2025, 9, 1), "declined", "late", "Declined — ask someone else.", asked=D(2025, 7, 1)),
    case("submitted", D(2025, 10, 5), "submitted", "done", "The letter is in.", asked=D(2025, 7, 1)),
    case("no deadline known", D(2025, 6, 1), "to_ask", "unknown", "No deadline is known", deadlines=()),
]  # fmt: skip


@pytest.mark.parametrize(
    ("deadlines", "today", "status", "asked_on", "due_on", "state", "reason"), PLAN_CASES
)
def test_it_plans_each_case(deadlines, today, status, asked_on, due_on, state, reason):
    plan = plan_letter(deadlines, today=today, status=status, asked_on=asked_on, due_on=due_on)
    assert plan.state == state
    assert plan.ask_by == (ASK_BY if deadlines else None)
    assert plan.reasons[0].startswith(reason), plan.reasons


def test_it_suggests_a_due_date_a_week_before_the_earliest_deadline():
    plan = plan_letter([NOV_15, OCT_1], today=D(2025, 6, 1), status="to_ask")
    assert plan.earliest == OCT_1
    assert plan.suggested_due == D(2025, 9, 24)


def test_it_takes_the_lead_time_and_windows_as_parameters():
    policy = Policy(lead_days=28, warn_days=3, due_buffer_days=10)
    plan = plan_letter([OCT_1], today=D(2025, 8, 20), status="to_ask", policy=policy)
    assert (plan.state, plan.ask_by, plan.suggested_due) == (
        "on_track",
        D(2025, 9, 3),
        D(2025, 9, 21),
    )


def test_it_counts_a_deadline_across_zones_for_the_ask_by_date():
    # A Los Angeles deadline planned from Berlin: the last day is 2 Oct there, so ask by 21 Aug.
    deadline = Deadline(D(2025, 10, 1), tz="America/Los_Angeles")
    plan = plan_letter([deadline], today=D(2025, 8, 21), status="to_ask", zone="Europe/Berlin")
    assert (plan.deadline_day, plan.ask_by, plan.state) == (
        D(2025, 10, 2),
        D(2025, 8, 21),
        "at_risk",
    )


def test_it_reports_both_reasons_when_asked_late_and_the_deadline_is_near():
    plan = plan_letter([OCT_1], today=D(2025, 9, 25), status="asked", asked_on=D(2025, 9, 20))
    assert plan.state == "at_risk"
    assert len(plan.reasons) == 2


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"status": "maybe"}, "status: must be one of"),
        ({"status": "to_ask", "zone": "Mars/Olympus"}, "tz: unknown time zone"),
    ],
)
def test_it_refuses_bad_input_with_a_named_field(arguments, message):
    with pytest.raises(ValueError, match=message):
        plan_letter([OCT_1], today=D(2025, 6, 1), **arguments)


@pytest.mark.parametrize("field", ["lead_days", "warn_days", "due_buffer_days"])
def test_it_refuses_a_negative_or_fractional_policy(field):
    with pytest.raises(ValueError, match=field):
        Policy(**{field: -1})
    with pytest.raises(ValueError, match=field):
        Policy(**{field: 1.5})


def test_it_does_not_mutate_its_input():
    deadlines = [NOV_15, OCT_1]
    plan_letter(deadlines, today=D(2025, 6, 1), status="to_ask")
    assert deadlines == [NOV_15, OCT_1]


def test_it_accepts_aware_datetimes_in_any_zone():
    early = Deadline(at("2025-10-01T09:00", "America/New_York"))  # 13:00 UTC
    later = Deadline(datetime.datetime(2025, 10, 1, 14, 0, tzinfo=UTC))
    plan = plan_letter([later, early], today=D(2025, 6, 1), status="to_ask")
    assert plan.earliest is early


@pytest.mark.parametrize("status", ["to_ask", "asked", "declined", "submitted"])
@pytest.mark.parametrize(
    ("deadline", "asked_on", "due_on"),
    [
        (Deadline(datetime.date.max), None, None),
        (Deadline(datetime.date.max, tz="Pacific/Kiritimati"), None, None),
        (Deadline(datetime.date.min), None, None),
        (Deadline(datetime.date(2026, 1, 15)), datetime.date.min, datetime.date.max),
    ],
)
def test_it_plans_nothing_from_a_date_at_an_end_of_the_calendar(deadline, asked_on, due_on, status):
    # A 9999-12-31 deadline saved before the forms bounded dates: "the day after" overflowed.
    plan = plan_letter(
        [deadline],
        today=datetime.date(2025, 10, 1),
        status=status,
        asked_on=asked_on,
        due_on=due_on,
        zone="Pacific/Pago_Pago",
    )
    assert plan.state in ("unknown", "done", "late", "at_risk", "on_track")
    if plan.deadline_day is None:
        assert plan.state == ("done" if status == "submitted" else "unknown")
        assert plan.reasons[0].endswith("is too far off to plan from: check its year.")
