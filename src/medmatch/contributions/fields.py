"""The program facts people may report: a fixed list of ``Program``'s own fields.

Each fact is keyed by its program field (``stipend_amount`` carries ``currency`` with it, since
an amount without its currency is not a fact). Values are kept in history and proposals as text
in one canonical form per type (``serialize``), so "what was there before" can be compared and
shown whatever the field's type.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from medmatch.catalog.models import Program


@dataclass(frozen=True)
class FactField:
    key: str  # the Program field that holds the value
    label: str
    extra: tuple[str, ...] = ()  # other Program fields that belong to the same fact

    @property
    def program_fields(self) -> tuple[str, ...]:
        return (self.key, *self.extra)


FACT_FIELDS: dict[str, FactField] = {
    fact.key: fact
    for fact in (
        FactField("length_months", "Length (months)"),
        FactField("weekly_hours", "Weekly hours"),
        FactField("stipend_amount", "Stipend (yearly)", extra=("currency",)),
        FactField("seats", "Positions"),
        FactField("visa_sponsorship", "Visa sponsorship"),
        FactField("language", "Language of training"),
        FactField("application_opens", "Applications open"),
        FactField("application_deadline", "Application deadline"),
        FactField("emphasis", "Teaching or service emphasis"),
        FactField("mentorship", "Mentorship"),
        FactField("research_opportunities", "Research opportunities"),
        FactField("url", "Program website"),
        FactField("description", "Description"),
    )
}
FACT_CHOICES = [(fact.key, fact.label) for fact in FACT_FIELDS.values()]


def to_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def serialize(key: str, values: dict) -> dict[str, str]:
    """The fact's program fields as canonical text ("" = unknown), from a dict of values."""
    return {name: to_text(values.get(name)) for name in FACT_FIELDS[key].program_fields}


def program_value(program: Program, key: str) -> dict[str, str]:
    """The fact's current value on the program row, as canonical text."""
    names = FACT_FIELDS[key].program_fields
    return serialize(key, {name: getattr(program, name) for name in names})


def deserialize(name: str, text: str):
    """Canonical text back to what the Program field holds (None or "" for unknown)."""
    field = Program._meta.get_field(name)
    if text == "":
        return None if field.null else ""
    return field.to_python(text)


def display(key: str, value: dict[str, str]) -> str:
    """A value as a person reads it; "" when unknown."""
    main = value.get(key, "")
    if main == "":
        return ""
    field = Program._meta.get_field(key)
    if field.choices:
        return dict(field.choices).get(main, main)
    if key == "stipend_amount":
        return f"{Decimal(main):,.0f} {value.get('currency', '')}".strip()
    return main
