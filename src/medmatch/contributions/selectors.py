"""Reads: who stands behind a program's field (the catalog's ``reported_values`` provider), a
program's history as the public and staff see it, and a coordinator's programs."""

from collections.abc import Sequence

from django.urls import reverse

from medmatch.catalog.extensions import ReportedValue
from medmatch.catalog.models import Institution, Program
from medmatch.contributions.coordinators import coordinator_institutions, coordinator_programs
from medmatch.contributions.fields import FACT_FIELDS, serialize
from medmatch.contributions.models import FactChange


def program_reported_values(program_ids: Sequence[int]) -> dict[int, dict[str, ReportedValue]]:
    """For each program, each field whose current value came through medmatch: the newest
    change, when the program row still holds the value it set (an import that overwrote it
    since is what the page shows, so no "reported by" claim is made for it).

    A value the program reported outranks an approved proposal: where the program reported a
    field, a later approved proposal can only come through staff's explicit override (see
    ``proposal_approve``), so the newest change is the one that stands.
    """
    changes = list(
        # A listing's creation entry is no field's value: only the facts' changes count.
        FactChange.objects.filter(program_id__in=list(program_ids), field__in=list(FACT_FIELDS))
        .order_by("program_id", "field", "-changed_at", "-pk")
        .only(
            "program_id",
            "field",
            "new_value",
            "kind",
            "changed_by_label",
            "changed_at",
            "source_url",
            "note",
        )
    )
    if not changes:  # most programs: one query, and nothing more to read
        return {}
    names = {name for fact in FACT_FIELDS.values() for name in fact.program_fields}
    changed = {change.program_id for change in changes}
    programs = {
        row["pk"]: row
        for row in Program.objects.filter(pk__in=changed).values("pk", *sorted(names))
    }
    found: dict[int, dict[str, ReportedValue]] = {}
    seen: set[tuple[int, str]] = set()
    for change in changes:
        key = (change.program_id, change.field)
        if key in seen:
            continue
        seen.add(key)
        row = programs[change.program_id]
        current = {name: row[name] for name in FACT_FIELDS[change.field].program_fields}
        if serialize(change.field, current) != change.new_value:
            continue
        found.setdefault(change.program_id, {})[change.field] = ReportedValue(
            field=change.field,
            kind=change.kind,
            reported_by=change.changed_by_label,
            reported_at=change.changed_at,
            source_url=change.source_url,
            note=change.note,
            history_url=reverse("contributions:history", args=[change.program_id]),
        )
    return found


def program_history(program: Program):
    """Every change of the program's facts, newest first."""
    return FactChange.objects.filter(program=program).select_related("changed_by", "approved_by")


def coordinator_workspace(user) -> list[tuple[Institution, list[Program]]]:
    """Each institution ``user`` is a verified coordinator of, with its programs (an institution
    with none yet is listed too: that is where its first listing is added). Two queries."""
    programs: dict[int, list[Program]] = {}
    for program in coordinator_programs(user).select_related("specialty").order_by("title", "pk"):
        programs.setdefault(program.institution_id, []).append(program)
    institutions = coordinator_institutions(user).order_by("name", "pk")
    return [(institution, programs.get(institution.pk, [])) for institution in institutions]
