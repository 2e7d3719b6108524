"""Reads for the practice match: the specialties a market can be generated for, the student's
default one (from their goals), and a specialty's catalog tracks as plain market programs."""

import random
import statistics

from django.db.models import Count

from medmatch.catalog.models import Program, Specialty
from medmatch.cycles.markets import TYPICAL_SEATS, MarketProgram, fictional_programs
from medmatch.goals.models import GoalProfile

# A market holds at most this many tracks; a bigger specialty is sampled with a fixed seed, so
# the same tracks come back run after run.
MAX_PROGRAMS = 500
SAMPLE_SEED = 16
FICTIONAL_PROGRAMS = 40


PLACE = ("city", "region", "country")


def _where(row: dict) -> str:
    # A track's own place when it has one (a CaRMS site), else its institution's.
    parts = [row[part] for part in PLACE]
    if not any(parts):
        parts = [row[f"institution__{part}"] for part in PLACE]
    return ", ".join(part for part in parts if part)


def residency_tracks():
    return Program.objects.filter(program_type=Program.ProgramType.RESIDENCY)


def specialty_choices() -> list[tuple[int, str]]:
    """(specialty id, "Name (system, N tracks)") for every specialty with residency tracks."""
    specialties = (
        Specialty.objects.filter(programs__program_type=Program.ProgramType.RESIDENCY)
        .annotate(tracks=Count("programs"))
        .order_by("name", "system")
    )
    return [
        (s.pk, f"{s.name} ({s.get_system_display()}, {s.tracks} track{'s' * (s.tracks != 1)})")
        for s in specialties
    ]


def default_specialty(user) -> Specialty | None:
    """The specialty of the student's residency goal, else their strongest interest; None when
    the goals name none or the catalog has no such specialty."""
    profile = GoalProfile.objects.for_student(user).first()
    data = profile.data if profile else {}
    key = (data.get("residency") or {}).get("specialty")
    if key is None:
        interests = (data.get("specialties") or {}).get("interests") or []
        if interests:
            key = max(interests, key=lambda i: i.get("weight", 0)).get("specialty")
    if key is None:
        return None
    key = str(key)
    system, _, code = key.partition("-") if "-" in key else (Specialty.System.ACGME, "", key)
    return Specialty.objects.filter(system=system, code=code).first()


def market_programs(specialty: Specialty | None, *, seed: int) -> tuple[list[MarketProgram], list]:
    """The programs of a generated market and the notes that say where they come from.

    The specialty's residency tracks (a sample of ``MAX_PROGRAMS`` with a fixed seed when there
    are more), each with its own number of positions when the catalog knows it, else the median
    known in the specialty, else ``TYPICAL_SEATS`` (marked as assumed). Without a specialty or
    tracks: fictional programs drawn with ``seed``.
    """
    tracks = residency_tracks().filter(specialty=specialty) if specialty else Program.objects.none()
    ids = sorted(tracks.values_list("pk", flat=True))
    if not ids:
        what = f"no residency tracks of {specialty.name}" if specialty else "no specialty chosen"
        note = (
            f"The catalog has {what}, so this market uses {FICTIONAL_PROGRAMS} fictional programs "
            "with made-up numbers of positions."
        )
        return list(fictional_programs(FICTIONAL_PROGRAMS, seed=seed)), [note]
    notes = []
    if len(ids) > MAX_PROGRAMS:
        notes.append(
            f"{specialty.name} has {len(ids)} tracks in the catalog; this market uses a random "
            f"sample of {MAX_PROGRAMS} (always the same sample, drawn with a fixed seed)."
        )
        ids = sorted(random.Random(SAMPLE_SEED).sample(ids, MAX_PROGRAMS))
    else:
        notes.append(f"All {len(ids)} tracks of {specialty.name} in the catalog.")
    notes.append(
        "Each track is a program of its own here, preliminary and advanced ones too (the practice "
        "match has no supplemental lists)."
    )
    rows = list(
        Program.objects.filter(pk__in=ids)
        .order_by("title", "institution__name", "pk")
        .values(
            "pk",
            "title",
            "institution__name",
            "seats",
            *PLACE,
            *(f"institution__{part}" for part in PLACE),
        )
    )
    known = [row["seats"] for row in rows if row["seats"] is not None]
    if known:
        typical = max(1, round(statistics.median(known)))
        why = f"{typical} (the median known in this specialty)"
    else:
        typical = TYPICAL_SEATS
        why = f"{typical} (about the NRMP 2025 average: 43,237 positions in 6,626 programs)"
    assumed = len(rows) - len(known)
    if assumed:
        notes.append(
            f"The catalog does not know the positions of {assumed} of these tracks; each is "
            f"assumed to have {why}. Assumed numbers are marked."
        )
    programs = [
        MarketProgram(
            id=f"p{row['pk']}",
            name=f"{row['title']} — {row['institution__name']}",
            seats=row["seats"] if row["seats"] is not None else typical,
            seats_assumed=row["seats"] is None,
            where=_where(row),
            catalog_id=row["pk"],
        )
        for row in rows
    ]
    return programs, notes
