"""Shapes shared by the routers: the error body and the facts of a catalog sheet."""

import datetime

from ninja import Schema

from medmatch.catalog.facts import FactSheet


class FieldError(Schema):
    field: str
    reason: str


class ErrorDetail(Schema):
    status: int
    code: str
    message: str
    fields: list[FieldError]


class Error(Schema):
    error: ErrorDetail


# Every error status the API answers, each documented with the one error shape (ninja's own
# ``codes_4xx`` leaves 422 out, and the fuzz test found it).
ERROR_STATUSES = frozenset({400, 401, 403, 404, 405, 409, 422, 429})
ERRORS = {ERROR_STATUSES: Error}


def responses(ok, *statuses: int) -> dict:
    """An operation's documented answers: ``ok`` (200 unless ``statuses`` say) and the error
    shape for every 4xx."""
    return {**dict.fromkeys(statuses or (200,), ok), **ERRORS}


class SourceOut(Schema):
    key: str
    name: str
    publisher: str
    url: str
    retrieved_on: datetime.date


class FactOut(Schema):
    label: str
    value: str | None  # null: nobody has published it (unknown, never zero)
    unknown: bool
    scope: str  # program, institution, place, rule
    scope_label: str  # whose fact, in words ("ZIP 62301", a hospital's name)
    as_of: str  # the date or period it describes; else the source's retrieval month
    source: SourceOut | None
    note: str
    question: str  # what to ask when it is unknown
    reported_by: str | None
    reported_at: datetime.datetime | None


def _text(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def facts_out(sheet: FactSheet) -> list[dict]:
    rows = []
    for fact in sheet.facts:
        source = fact.source if not fact.unknown else None
        rows.append(
            {
                "label": fact.label,
                "value": _text(fact.value),
                "unknown": fact.unknown,
                "scope": sheet.scope_of(fact),
                "scope_label": sheet.scope_words(fact),
                "as_of": fact.period,
                "source": source,
                "note": fact.note,
                "question": (
                    fact.question or f"What is the {sheet.subject}'s {fact.label.lower()}?"
                )
                if fact.unknown
                else "",
                "reported_by": fact.reported.reported_by if fact.reported else None,
                "reported_at": fact.reported.reported_at if fact.reported else None,
            }
        )
    return rows
