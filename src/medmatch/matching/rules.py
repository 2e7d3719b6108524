"""The rule sets of the clearinghouses the engine runs, and which instance features each allows.

Source: DESIGN.md "Matching rules of the world's clearinghouses"; docs/matching.md describes each.
"""

from __future__ import annotations

from dataclasses import dataclass

from .instance import Instance, InstanceError


@dataclass(frozen=True, slots=True)
class RuleSet:
    """What a clearinghouse's rules allow and how its algorithm runs.

    ``lottery``: programs do not rank; applicants are served in a seeded random order (UKFP).
    ``target_capacities``: regional caps are met by reducing program capacities (JRMP).
    """

    name: str
    title: str
    couples: bool
    supplemental: bool
    reversion: bool
    regions: bool
    streams: bool
    lottery: bool


RULES: dict[str, RuleSet] = {
    "nrmp": RuleSet("nrmp", "NRMP Main Residency Match", True, True, True, False, False, False),
    "carms": RuleSet(
        "carms", "CaRMS R-1 Main Residency Match", True, False, False, False, True, False
    ),
    "jrmp": RuleSet(
        "jrmp", "Japan Residency Matching Program", False, False, False, True, False, False
    ),
    "ukfp": RuleSet(
        "ukfp", "UK Foundation Programme allocation", True, False, False, False, False, True
    ),
}


def get_rules(name: str) -> RuleSet:
    """Return the rule set called ``name``; raise ValueError for an unknown name (never None)."""
    try:
        return RULES[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown rules {name!r}; expected one of {', '.join(sorted(RULES))}"
        ) from None


def check_supported(instance: Instance, rules: RuleSet) -> None:
    """Raise InstanceError when the instance uses a feature the rule set does not have.

    Steps: couples need ``couples``; supplemental lists need ``supplemental``; ``revert_to``
    needs ``reversion``; regions and program regions need ``regions``; stream fields need
    ``streams``, and under CaRMS an applicant may rank only programs of streams they are eligible
    for (an empty eligibility list means any stream).
    """
    name = rules.name
    if instance.couples and not rules.couples:
        couple = instance.couples[0]
        raise InstanceError(f"couple {couple.id!r}", "members", f"rules {name} have no couples")
    for applicant in instance.applicants:
        if applicant.supplemental and not rules.supplemental:
            raise InstanceError(
                f"applicant {applicant.id!r}",
                "supplemental",
                f"rules {name} have no supplemental lists",
            )
        if applicant.streams and not rules.streams:
            raise InstanceError(
                f"applicant {applicant.id!r}", "streams", f"rules {name} have no streams"
            )
    for program in instance.programs:
        record = f"program {program.id!r}"
        if program.revert_to is not None and not rules.reversion:
            raise InstanceError(record, "revert_to", f"rules {name} have no reversion")
        if program.region is not None and not rules.regions:
            raise InstanceError(record, "region", f"rules {name} have no regional caps")
        if program.stream is not None and not rules.streams:
            raise InstanceError(record, "stream", f"rules {name} have no streams")
        if program.track != "categorical" and not rules.supplemental:
            raise InstanceError(
                record, "track", f"rules {name} have no advanced/preliminary tracks"
            )
    if instance.regions and not rules.regions:
        raise InstanceError(
            f"region {instance.regions[0].id!r}", "cap", f"rules {name} have no regions"
        )
    if rules.streams:
        stream_of = {p.id: p.stream for p in instance.programs}

        def eligible(record: str, field: str, streams: tuple[str, ...], program_id: str | None):
            stream = stream_of.get(program_id) if program_id is not None else None
            if streams and stream is not None and stream not in streams:
                raise InstanceError(
                    record, field, f"ranks {program_id!r} of stream {stream!r}, not eligible"
                )

        for applicant in instance.applicants:
            for program_id in applicant.ranking:
                eligible(f"applicant {applicant.id!r}", "ranking", applicant.streams, program_id)
        for couple in instance.couples:
            for first, second in couple.ranking:
                eligible(f"couple {couple.id!r}", "ranking", couple.streams[0], first)
                eligible(f"couple {couple.id!r}", "ranking", couple.streams[1], second)


def check_supported_compact(ci, rules: RuleSet) -> None:
    """:func:`check_supported` for a :class:`~medmatch.matching.compact.CompactInstance` (the
    compact encoding has no stream fields)."""
    name = rules.name
    if ci.couple_ids and not rules.couples:
        raise InstanceError(
            f"couple {ci.couple_ids[0]!r}", "members", f"rules {name} have no couples"
        )
    if len(ci.supplemental_programs) and not rules.supplemental:
        start = ci.supplemental_start
        first = next(u for u in range(ci.n_singles) if start[u + 1] > start[u])
        raise InstanceError(
            f"applicant {ci.person_ids[first]!r}",
            "supplemental",
            f"rules {name} have no supplemental lists",
        )
    plain = (
        ci.track.count(0) == len(ci.track)
        and max(ci.revert_to, default=-1) < 0
        and max(ci.region, default=-1) < 0
    )
    for p, pid in enumerate([] if plain else ci.program_ids):
        record = f"program {pid!r}"
        if ci.revert_to[p] >= 0 and not rules.reversion:
            raise InstanceError(record, "revert_to", f"rules {name} have no reversion")
        if ci.region[p] >= 0 and not rules.regions:
            raise InstanceError(record, "region", f"rules {name} have no regional caps")
        if ci.track[p] != 0 and not rules.supplemental:
            raise InstanceError(
                record, "track", f"rules {name} have no advanced/preliminary tracks"
            )
    if ci.region_ids and not rules.regions:
        raise InstanceError(f"region {ci.region_ids[0]!r}", "cap", f"rules {name} have no regions")
