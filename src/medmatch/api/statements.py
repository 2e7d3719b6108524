"""A student's personal statements and their versions, each text with the analyzer's result (the
flags in reading order, the specificity report for the statement's program, the copy-paste
check, the metrics); and a new version. Statements come through the editor's access helper
(``get_statement``: another student's is a 404), a version is written through the editor's form
and ``statement_save``, and the analysis is the editor's own ``statement_analysis``."""

import datetime

from django.db.models import Count
from django.http import QueryDict
from ninja import Field, Query, Router, Schema, Status

from medmatch.api.auth import student_auth
from medmatch.api.errors import ApiError, form_fields
from medmatch.api.pagination import PageParams, keyset_page
from medmatch.api.schemas import responses
from medmatch.applications.forms import StatementForm
from medmatch.applications.models import STATEMENT_MAX_CHARS, Statement, StatementVersion
from medmatch.applications.services import statement_save
from medmatch.applications.statement_text import in_reading_order
from medmatch.applications.views.statements import get_statement
from medmatch.applications.writing_context import statement_analysis
from medmatch.lib.access import get_owned_or_404

router = Router(tags=["statements"], auth=student_auth("applications"))


class ProgramRef(Schema):
    id: int
    title: str
    institution: str


class StatementOut(Schema):
    id: int
    title: str
    application_id: int | None  # null: the base statement, for every program
    program: ProgramRef | None
    based_on_id: int | None
    word_limit: int | None  # null: no limit
    versions: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class StatementList(Schema):
    items: list[StatementOut]
    next_cursor: str | None


class SourceRef(Schema):
    label: str
    url: str


class FlagOut(Schema):
    kind: str  # cliche, generic, stock_phrase, superlative, long_sentence, repeated_opening
    start: int  # character offsets into the text: text[start:end] is the phrase
    end: int
    phrase: str
    reason: str
    source_label: str  # where the advice comes from; "" when it is medmatch's own
    source_url: str
    sources: list[SourceRef]


class AspectOut(Schema):
    kind: str
    label: str
    terms: list[str]
    spans: list[list[int]]  # [start, end] where the text names it; empty when it does not
    hint: str


class SpecificityOut(Schema):
    program_given: bool
    score: float | None  # mentioned / all aspects; null when there is no aspect
    mentioned: list[AspectOut]
    could_mention: list[AspectOut]


class CopyPasteOut(Schema):
    kind: str  # institution or feature
    start: int
    end: int
    sentence: str
    program_id: int | str | None
    program_title: str
    institution_name: str
    named: str
    feature: str
    message: str


class MetricsOut(Schema):
    words: int
    characters: int
    sentences: int
    mean_sentence_words: float
    longest_sentence_words: int
    flesch_reading_ease: float | None  # null: no words to score
    first_person_density: float
    repeated_words: list[tuple[str, int]]
    repeated_openings: list[tuple[str, int]]
    limit_words: int | None
    limit_chars: int | None
    over_limit: bool | None  # null: no limit to be over
    generic_sentences: int
    flagged_sentences: int


class AnalysisOut(Schema):
    flags: list[FlagOut]
    specificity: SpecificityOut
    copy_paste: list[CopyPasteOut]
    structural_advice: list[FlagOut]
    metrics: MetricsOut


class StatementDetail(StatementOut):
    body: str  # the current text: its latest version's ("" before the first)
    analysis: AnalysisOut


class VersionOut(Schema):
    id: int
    statement_id: int
    note: str
    created_at: datetime.datetime
    body: str


class VersionDetail(VersionOut):
    analysis: AnalysisOut


class VersionList(Schema):
    items: list[VersionOut]
    next_cursor: str | None


class VersionIn(Schema):
    body: str = Field(..., max_length=STATEMENT_MAX_CHARS + 1, description="The new text.")
    note: str = Field("", max_length=201, description="Optional, e.g. “after Dr Chen's comments”.")
    title: str | None = Field(None, max_length=201, description="A new title; none keeps it.")
    word_limit: int | None = Field(
        None,
        ge=0,
        le=1_000_000,
        description="A new word limit (1..5000); null: no limit; left out: the limit is kept.",
    )


def _flag(flag, body: str) -> dict:
    return {
        **flag.to_dict(),
        "phrase": body[flag.start : flag.end],
    }


def analysis_out(statement: Statement, body: str) -> dict:
    analysis = statement_analysis(statement, body)
    return {
        "flags": [_flag(flag, body) for flag in in_reading_order(analysis.flags)],
        "specificity": analysis.specificity.to_dict(),
        "copy_paste": [note.to_dict() for note in analysis.copy_paste],
        "structural_advice": [_flag(flag, body) for flag in analysis.structural_advice],
        "metrics": analysis.metrics.to_dict(),
    }


def _out(statement: Statement, versions: int) -> dict:
    application = statement.application
    program = application.program if application else None
    return {
        "id": statement.pk,
        "title": statement.title,
        "application_id": statement.application_id,
        "program": {
            "id": program.pk,
            "title": program.title,
            "institution": program.institution.name,
        }
        if program
        else None,
        "based_on_id": statement.based_on_id,
        "word_limit": statement.word_limit,
        "versions": versions,
        "created_at": statement.created_at,
        "updated_at": statement.updated_at,
    }


def _detail(statement: Statement) -> dict:
    versions = list(statement.versions.order_by("created_at", "pk"))
    body = versions[-1].body if versions else ""
    return {
        **_out(statement, len(versions)),
        "body": body,
        "analysis": analysis_out(statement, body),
    }


def _version(version: StatementVersion) -> dict:
    return {
        "id": version.pk,
        "statement_id": version.statement_id,
        "note": version.note,
        "created_at": version.created_at,
        "body": version.body,
    }


def _version_detail(statement: Statement, version: StatementVersion) -> dict:
    return {**_version(version), "analysis": analysis_out(statement, version.body)}


@router.get("/statements", response=responses(StatementList), url_name="statements")
def list_statements(request, filters: Query[PageParams]):
    """Your personal statements (base ones and per-application variants), oldest first."""
    statements = (
        Statement.objects.for_student(request.user)
        .select_related("application__program__institution")
        .annotate(version_count=Count("versions"))
    )
    page = keyset_page(statements, filters, name="statements", key="pk")
    return {
        "items": [_out(s, s.version_count) for s in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get("/statements/{int:pk}", response=responses(StatementDetail), url_name="statement")
def show_statement(request, pk: int):
    """One statement: its current text and the analyzer's result for it, as the editor shows."""
    return _detail(get_statement(request, pk))


@router.get(
    "/statements/{int:pk}/versions", response=responses(VersionList), url_name="statement_versions"
)
def list_versions(request, pk: int, filters: Query[PageParams]):
    """A statement's versions, oldest first; the last is the current text."""
    statement = get_statement(request, pk)
    page = keyset_page(statement.versions.all(), filters, name=f"versions-{pk}", key="pk")
    return {"items": [_version(v) for v in page.items], "next_cursor": page.next_cursor}


@router.post(
    "/statements/{int:pk}/versions",
    response=responses(VersionDetail, 200, 201),
    url_name="statement_version_create",
)
def create_version(request, pk: int, payload: VersionIn):
    """Save a new text, through the editor's form (the same limits and messages): a new version
    (201) when the text changed; when it did not, the title and word limit are saved and the
    current version answers (200)."""
    statement = get_statement(request, pk)
    sent = payload.model_dump(exclude_unset=True)
    values = {
        "title": sent.get("title") if sent.get("title") is not None else statement.title,
        "word_limit": sent.get("word_limit", statement.word_limit),
        "body": payload.body,
        "note": payload.note,
    }
    data = QueryDict(mutable=True)
    for name, value in values.items():
        data[name] = "" if value is None else str(value)
    form = StatementForm(data)
    if not form.is_valid():
        raise ApiError(422, "The statement was not saved.", form_fields(form))
    cleaned = form.cleaned_data
    if not cleaned["body"] and not statement.versions.exists():
        reason = "the statement has no text yet: send its first version's text"
        raise ApiError(422, f"body: {reason}.", [{"field": "body", "reason": reason}])
    version = statement_save(
        statement=statement,
        body=cleaned["body"],
        title=cleaned["title"],
        word_limit=cleaned["word_limit"],
        note=cleaned["note"],
    )
    statement = get_statement(request, pk)
    created = version is not None
    version = version or statement.latest_version()
    return Status(201 if created else 200, _version_detail(statement, version))


@router.get(
    "/statement-versions/{int:pk}", response=responses(VersionDetail), url_name="statement_version"
)
def show_version(request, pk: int):
    """One version's text and the analyzer's result for it (against the statement's program and
    word limit as they are now)."""
    version = get_owned_or_404(
        StatementVersion.objects.select_related("statement__application"), request.user, pk=pk
    )
    return _version_detail(version.statement, version)
