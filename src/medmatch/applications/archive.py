"""The applications part of the account archive (``accounts.archive``): applications with
their history and checklists, CV entries, tailored CVs and personal statements with every
version. The calendar feed's secret cannot move (only its hash is stored): it goes to
records.json, and a new feed is made on the new server."""

from medmatch.accounts.archive import ArchiveError, create, fields_in, fields_out, items, rows
from medmatch.applications.models import (
    Application,
    CalendarFeed,
    CVEntry,
    Requirement,
    Statement,
    StatementVersion,
    StatusChange,
    TailoredCV,
)
from medmatch.lib.models import iso_or_none

APPLICATION = (
    "status",
    "status_changed_at",
    "opens_on",
    "deadline",
    "notes",
    "created_at",
    "updated_at",
)
CHANGE = ("from_status", "to_status", "changed_at")
REQUIREMENT = (
    "kind",
    "title",
    "due_on",
    "done",
    "done_at",
    "amount",
    "currency",
    "notes",
    "position",
    "created_at",
)
CV_ENTRY = (
    "section",
    "title",
    "organisation",
    "location",
    "start_date",
    "end_date",
    "hours_per_week",
    "total_hours",
    "description",
    "tags",
    "most_meaningful",
    "position",
    "created_at",
    "updated_at",
)
TAILORED = ("adjusted", "created_at", "updated_at")
STATEMENT = ("title", "word_limit", "created_at", "updated_at")
VERSION = ("body", "note", "created_at")


def export(user, context) -> dict:
    applications = (
        Application.objects.for_student(user)
        .with_program()
        .select_related("program__source")
        .prefetch_related("status_changes", "requirements")
        .order_by("created_at", "pk")
    )
    applications_out = [
        fields_out(application, APPLICATION)
        | {
            "key": context.key("application", application),
            "program": context.program(application.program),
            "status_history": [
                fields_out(change, CHANGE)
                for change in sorted(
                    application.status_changes.all(), key=lambda c: (c.changed_at, c.pk)
                )
            ],
            "requirements": [
                fields_out(requirement, REQUIREMENT)
                for requirement in sorted(
                    application.requirements.all(), key=lambda r: (r.position, r.created_at, r.pk)
                )
            ],
        }
        for application in applications
    ]
    entries = CVEntry.objects.for_student(user).order_by("position", "created_at", "pk")
    entries_out = [
        fields_out(entry, CV_ENTRY) | {"key": context.key("cv_entry", entry)} for entry in entries
    ]
    tailored = TailoredCV.objects.filter(application__student=user).order_by(
        "application__created_at", "application__pk"
    )
    statements = list(
        Statement.objects.for_student(user)
        .prefetch_related("versions")
        .order_by("created_at", "pk")
    )
    for statement in statements:
        context.key("statement", statement)
    return {
        "applications": applications_out,
        "cv_entries": entries_out,
        "tailored_cvs": [
            fields_out(cv, TAILORED)
            | {
                "application": context.key_of("application", cv.application_id),
                # Entries deleted since the CV was tailored are not there to name.
                "entries": _entry_keys(context, cv.entry_ids),
                "known": _entry_keys(context, cv.known_ids),
            }
            for cv in tailored
        ],
        "statements": [
            fields_out(statement, STATEMENT)
            | {
                "key": context.key_of("statement", statement.pk),
                "application": context.key_of("application", statement.application_id),
                "based_on": context.key_of("statement", statement.based_on_id),
                "versions": [
                    fields_out(version, VERSION)
                    for version in sorted(
                        statement.versions.all(), key=lambda v: (v.created_at, v.pk)
                    )
                ],
            }
            for statement in statements
        ],
    }


def _entry_keys(context, ids) -> list[str]:
    keys = [context.key_of("cv_entry", pk) for pk in ids or []]
    return [key for key in keys if key is not None]


def records(user) -> dict:
    feed = CalendarFeed.objects.filter(student=user).first()
    return {"calendar_feed": {"created_at": iso_or_none(feed.created_at)} if feed else None}


def import_(user, data: dict, context) -> None:
    part = "account.json applications"
    for row, where in rows(data, "applications", part):
        application = create(
            Application,
            where,
            fields_in(Application, row, APPLICATION, where),
            student=user,
            program=context.ref(row.get("program"), f"{where}.program"),
        )
        context.remember(row.get("key"), application, where)
        for change, at in rows(row, "status_history", where):
            create(
                StatusChange,
                at,
                fields_in(StatusChange, change, CHANGE, at),
                application=application,
            )
        for requirement, at in rows(row, "requirements", where):
            values = fields_in(Requirement, requirement, REQUIREMENT, at)
            create(Requirement, at, values, application=application)
    for row, where in rows(data, "cv_entries", part):
        entry = create(CVEntry, where, fields_in(CVEntry, row, CV_ENTRY, where), student=user)
        context.remember(row.get("key"), entry, where)
    for row, where in rows(data, "tailored_cvs", part):
        values = fields_in(TailoredCV, row, TAILORED, where)
        values["entry_ids"] = [
            context.get(key, "cv_entry", f"{where}.entries").pk
            for key in items(row, "entries", where)
        ]
        values["known_ids"] = [
            context.get(key, "cv_entry", f"{where}.known").pk for key in items(row, "known", where)
        ]
        application = context.get(row.get("application"), "application", f"{where}.application")
        create(TailoredCV, where, values, application=application)
    statements = []
    for row, where in rows(data, "statements", part):
        application = context.optional(
            row.get("application"), "application", f"{where}.application"
        )
        statement = create(
            Statement,
            where,
            fields_in(Statement, row, STATEMENT, where),
            student=user,
            application=application,
        )
        context.remember(row.get("key"), statement, where)
        statements.append((statement, row, where))
        for version, at in rows(row, "versions", where):
            create(
                StatementVersion,
                at,
                fields_in(StatementVersion, version, VERSION, at),
                statement=statement,
            )
    # A variant may be based on a statement listed after it: link once all exist.
    for statement, row, where in statements:
        based_on = context.optional(row.get("based_on"), "statement", f"{where}.based_on")
        if based_on is not None:
            if based_on.pk == statement.pk:
                raise ArchiveError(f"{where}.based_on", "a statement cannot be based on itself")
            Statement.objects.filter(pk=statement.pk).update(based_on=based_on)
