"""Forms of interview slot rounds. Times are typed as local times in the round's own zone and
stored as aware datetimes; every number is bounded and typed with the digits 0-9; every time zone
is a name from the IANA list. Every error message starts with the field's name."""

from __future__ import annotations

import datetime
import zoneinfo

from django import forms
from django.utils import timezone

from medmatch.interviews.time_zones import time_zone_choices, zone_for_program
from medmatch.lib.forms import (
    BoundedDateField,
    BoundedIntegerField,
    TimeZoneField,
    bounded_formfield,
    clean_one_line,
)
from medmatch.workspace.models import SlotRound

MAX_BULK_SLOTS = 100
MAX_WINDOW = datetime.timedelta(days=60)
MAX_INVITATION_POSITION = 10_000


def _zone_widget(selected: str = "") -> forms.Select:
    zones = list(time_zone_choices())
    if selected and selected not in zones:
        zones.insert(0, selected)
    return forms.Select(choices=[(zone, zone.replace("_", " ")) for zone in zones])


def _date_field(label: str, name: str) -> BoundedDateField:
    return BoundedDateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": f"{name}: enter the date.",
            "invalid": f"{name}: not a date; use the form YYYY-MM-DD.",
            "out_of_range": f"{name}: %(value)s is not between 1900 and 2100; check the year.",
        },
    )


def _time_field(label: str, name: str, **kwargs) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": f"{name}: enter the time.",
            "invalid": f"{name}: not a time; use the form HH:MM.",
        },
        **kwargs,
    )


def _int_field(label: str, name: str, low: int, high: int, **kwargs) -> BoundedIntegerField:
    return BoundedIntegerField(
        label=label,
        min_value=low,
        max_value=high,
        error_messages={
            "required": f"{name}: enter a whole number.",
            "invalid": f"{name}: a whole number (use 0-9).",
            "min_value": f"{name}: at least {low}.",
            "max_value": f"{name}: at most {high:,}.",
        },
        **kwargs,
    )


def local_moment(day: datetime.date, time: datetime.time, zone: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time), zoneinfo.ZoneInfo(zone))


class RoundForm(forms.ModelForm):
    time_zone = TimeZoneField(
        label="Time zone",
        help_text="The zone the slots' times are given in. Students see them in it, and in "
        "their own.",
        error_messages={"required": "time_zone: choose the zone of the slots' times."},
    )

    class Meta:
        model = SlotRound
        formfield_callback = bounded_formfield
        fields = ["title", "time_zone", "duration_minutes", "format", "place", "city", "link"]
        labels = {"duration_minutes": "Duration of one interview (minutes)"}
        help_texts = {
            "title": "E.g. “Interview days, November”. Students see it.",
            "city": "For interviews in person: used to spot travel between cities.",
            "link": "For virtual interviews (students see it once they have a slot).",
        }
        error_messages = {
            "title": {"required": "title: give the round a title."},
            "link": {"invalid": "link: not a web address; start it with https://."},
            "duration_minutes": {
                "min_value": "duration_minutes: at least 5 minutes.",
                "max_value": "duration_minutes: at most a day (1,440 minutes).",
            },
        }

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.initial.get("time_zone"):
            self.initial["time_zone"] = zone_for_program(program) or ""
        self.fields["time_zone"].widget = _zone_widget(self.initial.get("time_zone", ""))
        if not self.initial.get("time_zone"):
            # The program's place does not tell its zone: no zone is chosen for the coordinator.
            self.fields["time_zone"].widget.choices.insert(0, ("", "Choose the zone"))

    def clean_title(self):
        return clean_one_line("title", self.cleaned_data["title"])

    def clean_place(self):
        return clean_one_line("place", self.cleaned_data["place"])

    def clean_city(self):
        return clean_one_line("city", self.cleaned_data["city"])

    def clean(self):
        data = super().clean()
        if data.get("format") == SlotRound.Format.IN_PERSON and not data.get("city", "").strip():
            self.add_error("city", "city: interviews in person need their city.")
        return data


class SlotForm(forms.Form):
    """One slot: its start, as a local time in the round's zone, and how many it takes."""

    date = _date_field("Date", "date")
    time = _time_field("Start time", "time")
    capacity = _int_field(
        "Students in the slot", "capacity", 1, 50, initial=1, help_text="Usually 1."
    )

    def __init__(self, *args, round_: SlotRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round_

    def starts(self) -> list[datetime.datetime]:
        data = self.cleaned_data
        return [local_moment(data["date"], data["time"], self.round.time_zone)]


class BulkSlotsForm(forms.Form):
    """Slots every N minutes on one day, from a first start until the last one ends."""

    date = _date_field("Date", "date")
    first = _time_field("First start", "first")
    until = _time_field("Last interview ends by", "until")
    every = _int_field("Every (minutes)", "every", 5, 480, initial=60)
    capacity = _int_field("Students in each slot", "capacity", 1, 50, initial=1)

    def __init__(self, *args, round_: SlotRound, **kwargs):
        kwargs.setdefault("prefix", "bulk")
        super().__init__(*args, **kwargs)
        self.round = round_

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        length = datetime.timedelta(minutes=self.round.duration_minutes)
        day = datetime.datetime.combine(data["date"], datetime.time())
        start = day + datetime.timedelta(hours=data["first"].hour, minutes=data["first"].minute)
        end = day + datetime.timedelta(hours=data["until"].hour, minutes=data["until"].minute)
        starts = []
        while start + length <= end:
            starts.append(start)
            start += datetime.timedelta(minutes=data["every"])
            if len(starts) > MAX_BULK_SLOTS:
                raise forms.ValidationError(
                    f"every: that makes more than {MAX_BULK_SLOTS} slots; add them in parts."
                )
        if not starts:
            raise forms.ValidationError(
                f"until: no {self.round.duration_minutes}-minute interview fits between the "
                "first start and that time."
            )
        zone = zoneinfo.ZoneInfo(self.round.time_zone)
        self.generated = [timezone.make_aware(moment, zone) for moment in starts]
        return data

    def starts(self) -> list[datetime.datetime]:
        return self.generated


class WindowForm(forms.Form):
    """When the ranking window closes, as a local time in the round's zone: in the future, at
    most 60 days ahead; by default 48 hours from now (or the end set earlier, if still ahead)."""

    closes_date = _date_field("Ranking window closes on", "closes_date")
    closes_time = _time_field("at", "closes_time")

    def __init__(self, *args, round_: SlotRound, now: datetime.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.round, self.now = round_, now
        zone = zoneinfo.ZoneInfo(round_.time_zone)
        if round_.window_opens_at is not None and round_.window_closes_at > now:
            closes = round_.window_closes_at.astimezone(zone)
        else:
            closes = (now + datetime.timedelta(hours=48)).astimezone(zone)
        self.initial.update(
            closes_date=closes.date(), closes_time=closes.time().replace(second=0, microsecond=0)
        )

    def clean(self):
        data = super().clean()
        if data.get("closes_date") and data.get("closes_time"):
            closes = local_moment(data["closes_date"], data["closes_time"], self.round.time_zone)
            if closes <= self.now:
                self.add_error("closes_date", "closes_date: the window must close in the future.")
            elif closes > self.now + MAX_WINDOW:
                self.add_error("closes_date", "closes_date: at most 60 days from now.")
            data["closes_at"] = closes
        return data


class InviteForm(WindowForm):
    """Who to invite and in which order (the program's priority), and when the window closes.

    One position field per submission marked "invite", filled 1, 2, 3 … in the default order;
    a blank position leaves the student out, equal positions keep the default order."""

    def __init__(self, *args, submissions, **kwargs):
        super().__init__(*args, **kwargs)
        self.submissions = list(submissions)
        for position, submission in enumerate(self.submissions, start=1):
            self.fields[f"position_{submission.pk}"] = _int_field(
                f"Position of {submission.pk}",
                f"position_{submission.pk}",
                1,
                MAX_INVITATION_POSITION,
                required=False,
                initial=position,
            )

    def rows(self):
        return [(submission, self[f"position_{submission.pk}"]) for submission in self.submissions]

    def clean(self):
        data = super().clean()
        chosen = [
            (data[f"position_{s.pk}"], index, s)
            for index, s in enumerate(self.submissions)
            if data.get(f"position_{s.pk}") is not None
        ]
        if not self.errors and not chosen:
            raise forms.ValidationError("Give a position to at least one student to invite.")
        data["ordered"] = [submission for _, _, submission in sorted(chosen, key=lambda c: c[:2])]
        return data


class RankingForm(forms.Form):
    """A rank per slot (1 = most preferred) or "cannot attend"; the ranks are made 1, 2, 3 … in
    the order given, so gaps do not matter, but two slots cannot share a rank."""

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = list(slots)
        choices = [("", "Cannot attend")] + [(n, str(n)) for n in range(1, len(self.slots) + 1)]
        for slot in self.slots:
            self.fields[f"slot_{slot.pk}"] = forms.TypedChoiceField(
                label=f"Slot {slot.pk}",
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                error_messages={
                    "invalid_choice": f"slot_{slot.pk}: choose a rank from the list, or "
                    "“Cannot attend”."
                },
            )

    def clean(self):
        data = super().clean()
        ranked = [(data[f"slot_{s.pk}"], s) for s in self.slots if data.get(f"slot_{s.pk}")]
        ranks = [rank for rank, _ in ranked]
        if len(set(ranks)) != len(ranks):
            raise forms.ValidationError(
                "Two slots have the same rank: give each slot you can attend its own number."
            )
        data["ranking"] = [slot for _, slot in sorted(ranked, key=lambda pair: pair[0])]
        return data


class ZoneForm(forms.Form):
    """``?zone=Europe/Berlin``: also show the slots' times in this zone (the student's own)."""

    zone = TimeZoneField(label="Also show times in", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].widget = _zone_widget()
        self.fields["zone"].widget.choices.insert(0, ("", "Only the program's zone"))

    def chosen(self) -> str | None:
        return (self.cleaned_data.get("zone") or None) if self.is_valid() else None
