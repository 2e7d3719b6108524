"""Writes: proposals and their review, a coordinator's edit, coordinator requests and their
verification. Every change to a program's facts locks the program row (``select_for_update``)
and writes its history in the same transaction, so the row and its history never disagree."""

from django.db import transaction
from django.utils import timezone

from medmatch.catalog.models import Institution, Program
from medmatch.contributions.coordinators import can_edit_program
from medmatch.contributions.evidence import coordinator_evidence
from medmatch.contributions.fields import (
    FACT_FIELDS,
    deserialize,
    display,
    program_value,
    to_text,
)
from medmatch.contributions.models import Coordinatorship, FactChange, FactProposal

PROPOSAL_LABEL = "a user's proposal, approved by staff"


class StaleEdit(Exception):
    """The program's facts changed since the editing page was opened."""


class NotACoordinator(Exception):
    """The user is not (or no longer) a verified coordinator of the program's institution."""


def program_version(program: Program) -> int:
    """The id of the program's newest fact change (0 for none): the edit form carries it, so a
    save over someone else's newer change is refused instead of silently undoing it."""
    newest = FactChange.objects.filter(program=program).order_by("-pk").first()
    return newest.pk if newest else 0


def _apply(program: Program, key: str, value: dict[str, str]) -> None:
    for name, text in value.items():
        setattr(program, name, deserialize(name, text))


def proposal_create(
    *, proposer, program: Program, field: str, value: dict, source_url: str, note: str = ""
) -> FactProposal:
    return FactProposal.objects.create(
        program=program,
        proposer=proposer,
        field=field,
        value=value,
        base_value=program_value(program, field),
        source_url=source_url,
        note=note,
    )


@transaction.atomic
def proposal_approve(*, proposal: FactProposal, by, override: bool = False) -> bool:
    """Apply an approved proposal to the program row and record it; returns whether it was
    applied. Without ``override`` a proposal is flagged (``conflict``), not applied, when the
    field changed since it was made or the program itself reported the current value (a
    program-reported value outranks a proposal)."""
    program = Program.objects.select_for_update().get(pk=proposal.program_id)
    proposal = FactProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != FactProposal.Status.PENDING:
        return False
    current = program_value(program, proposal.field)
    newest = (
        FactChange.objects.filter(program=program, field=proposal.field)
        .order_by("-changed_at", "-pk")
        .first()
    )
    conflict = ""
    if current != proposal.base_value:
        was = display(proposal.field, proposal.base_value) or "unknown"
        now = display(proposal.field, current) or "unknown"
        conflict = f"The field changed since the proposal was made (was {was}, now {now})."
    elif newest and newest.kind == FactChange.Kind.PROGRAM and newest.new_value == current:
        conflict = "The program reported this value itself; that outranks a proposal."
    if conflict and not override:
        proposal.conflict = conflict[:300]
        proposal.save(update_fields=["conflict"])
        return False
    now = timezone.now()
    _apply(program, proposal.field, proposal.value)
    program.save(update_fields=[*FACT_FIELDS[proposal.field].program_fields, "updated_at"])
    FactChange.objects.create(
        program=program,
        field=proposal.field,
        previous_value=current,
        new_value=proposal.value,
        kind=FactChange.Kind.APPROVED_PROPOSAL,
        changed_by=proposal.proposer,
        changed_by_label=PROPOSAL_LABEL,
        approved_by=by,
        proposal=proposal,
        source_url=proposal.source_url,
        note=proposal.note,
        changed_at=now,
    )
    proposal.status = FactProposal.Status.APPROVED
    proposal.save(update_fields=["status", *proposal.mark_reviewed(by=by, at=now)])
    return True


@transaction.atomic
def proposal_reject(*, proposal: FactProposal, by, reason: str) -> bool:
    proposal = FactProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != FactProposal.Status.PENDING:
        return False
    proposal.status = FactProposal.Status.REJECTED
    proposal.save(update_fields=["status", *proposal.mark_reviewed(by=by, reason=reason)])
    return True


@transaction.atomic
def program_facts_edit(
    *, program: Program, user, values: dict, source_url: str = "", note: str = "", version: int
) -> list[FactChange]:
    """A verified coordinator's edit of the program's facts: every fact whose value differs is
    written to the row and to the history as reported by the program. ``values`` maps program
    field names to cleaned values (None or "" = unknown)."""
    program = Program.objects.select_for_update().select_related("institution").get(pk=program.pk)
    if not can_edit_program(user, program):
        raise NotACoordinator
    if program_version(program) != version:
        raise StaleEdit
    now = timezone.now()
    label = f"a verified coordinator of {program.institution.name}"
    changes, touched = [], []
    for key, fact in FACT_FIELDS.items():
        before = program_value(program, key)
        after = {**before}
        after.update(
            {name: to_text(values[name]) for name in fact.program_fields if name in values}
        )
        if key == "stipend_amount" and after["stipend_amount"] == "":
            # Program.currency is also the currency of cost_amount: an unknown stipend leaves it.
            after["currency"] = before["currency"]
        if after == before:
            continue
        _apply(program, key, after)
        touched += fact.program_fields
        changes.append(
            FactChange(
                program=program,
                field=key,
                previous_value=before,
                new_value=after,
                kind=FactChange.Kind.PROGRAM,
                changed_by=user,
                changed_by_label=label,
                source_url=source_url,
                note=note,
                changed_at=now,
            )
        )
    if changes:
        program.save(update_fields=[*touched, "updated_at"])
        FactChange.objects.bulk_create(changes)
    return changes


@transaction.atomic
def coordinator_request(
    *, user, institution: Institution, role_title: str, message: str = ""
) -> Coordinatorship:
    """Ask (or ask again) to coordinate an institution's programs; the evidence is computed now,
    from the account's current address. A verified request stays verified."""
    strength, lines = coordinator_evidence(email=user.email, institution=institution)
    request, created = Coordinatorship.objects.select_for_update().get_or_create(
        user=user,
        institution=institution,
        defaults={
            "role_title": role_title,
            "message": message,
            "email_at_request": user.email,
            "evidence_strength": strength,
            "evidence": lines,
        },
    )
    if not created and request.status != Coordinatorship.Status.VERIFIED:
        request.status = Coordinatorship.Status.REQUESTED
        request.role_title, request.message = role_title, message
        request.email_at_request, request.evidence_strength, request.evidence = (
            user.email,
            strength,
            lines,
        )
        request.clear_review()
        request.save()
    return request


@transaction.atomic
def coordinator_review(*, request: Coordinatorship, by, verified: bool, reason: str = "") -> None:
    request.status = (
        Coordinatorship.Status.VERIFIED if verified else Coordinatorship.Status.REJECTED
    )
    request.save(update_fields=["status", *request.mark_reviewed(by=by, reason=reason)])
