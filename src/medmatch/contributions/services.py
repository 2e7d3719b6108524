"""Writes: proposals and their review, a coordinator's edit and new listing, coordinator
requests and their verification. Every change to a program's facts locks the program row
(``select_for_update``) and writes its history in the same transaction, so the row and its
history never disagree."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from medmatch.catalog.models import Institution, Program, Source, Specialty
from medmatch.catalog.search import refresh_search_text
from medmatch.contributions.coordinators import can_edit_program, coordinator_institutions
from medmatch.contributions.evidence import coordinator_evidence
from medmatch.contributions.fields import (
    FACT_FIELDS,
    deserialize,
    display,
    program_value,
    to_text,
)
from medmatch.contributions.models import LISTING, Coordinatorship, FactChange, FactProposal

PROPOSAL_LABEL = "a user's proposal, approved by staff"
# Every catalog row points at a Source (Program.source is required): a listing created by its
# program points at this one row, so the data-sources page counts such listings like any file's.
PROGRAM_LISTINGS_KEY = "medmatch-program-listings"


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
    label = _coordinator_label(program.institution)
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


def _coordinator_label(institution: Institution) -> str:
    return f"a verified coordinator of {institution.name}"


def program_listings_source() -> Source:
    """The Source of listings created by their programs' verified coordinators (made once)."""
    source, _ = Source.objects.get_or_create(
        key=PROGRAM_LISTINGS_KEY,
        defaults={
            "name": "Reported by the program: listings created by verified coordinators",
            "publisher": "Each program's coordinator, verified by medmatch staff",
            "url": f"{settings.SITE_URL}{reverse('contributions:coordinator')}",
            "license": "Facts reported by the programs themselves",
            "retrieved_on": timezone.localdate(),
            "notes": "Each listing's history page says who created it and when, and every "
            "change since.",
        },
    )
    return source


@transaction.atomic
def program_create(
    *,
    institution: Institution,
    user,
    title: str,
    program_type: str,
    specialty: Specialty | None = None,
    city: str = "",
    country: str = "",
    values: dict,
    source_url: str = "",
    note: str = "",
) -> Program:
    """A verified coordinator's new listing for their institution: public at once, with a
    ``created`` history entry and each given fact recorded as reported by the program (through
    ``program_facts_edit``, so it is marked like any later edit). A city or country equal to the
    institution's is stored empty, so the listing follows the institution's own place."""
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if not coordinator_institutions(user).filter(pk=institution.pk).exists():
        raise NotACoordinator
    program = Program(
        institution=institution,
        title=title,
        program_type=program_type,
        specialty=specialty,
        city="" if city == institution.city else city,
        country="" if country == institution.country else country,
        source=program_listings_source(),
    )
    refresh_search_text(program)
    program.save()
    place = ", ".join(
        filter(None, [program.city or institution.city, program.country or institution.country])
    )
    FactChange.objects.create(
        program=program,
        field=LISTING,
        previous_value={},
        new_value={
            "title": title,
            "program_type": program.get_program_type_display(),
            "specialty": specialty.name if specialty else "",
            "place": place,
        },
        kind=FactChange.Kind.CREATED,
        changed_by=user,
        changed_by_label=_coordinator_label(institution),
        source_url=source_url,
        note=note,
        changed_at=timezone.now(),
    )
    program_facts_edit(
        program=program,
        user=user,
        values=values,
        source_url=source_url,
        note=note,
        version=program_version(program),
    )
    return program


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
