"""The practice match's writes and the market set-up they share with the list builder."""

import secrets

from django.db import transaction

from medmatch.cycles.forms import MAX_SEED
from medmatch.cycles.markets import Market, generated_market, hand_made_market, snapshot
from medmatch.cycles.models import PracticeRun
from medmatch.cycles.practice import run_couple, run_single
from medmatch.cycles.selectors import market_programs


def new_seed() -> int:
    return secrets.randbelow(MAX_SEED) + 1


def market_outline(*, market: str, specialty, couple: bool, seed: int) -> tuple[list, list]:
    """The programs a student ranks and the notes on where they come from, without generating
    the competitors (the list builder needs no more)."""
    if market == PracticeRun.Market.HAND_MADE:
        made = hand_made_market(couple=couple)
        return list(made.programs), list(made.notes)
    return market_programs(specialty, seed=seed)


def practice_market(
    *, market: str, specialty, strength: str, couple: bool, seed: int, outline=None
) -> Market:
    """The whole market, competitors included; the same arguments give the same market (as long
    as the catalog's tracks of the specialty stay the same). ``outline`` is what
    ``market_outline`` returned for the same arguments, if the caller has it already."""
    if market == PracticeRun.Market.HAND_MADE:
        return hand_made_market(couple=couple)
    programs, notes = outline or market_programs(specialty, seed=seed)
    return generated_market(programs, seed=seed, strength=strength, notes=notes)


def practice_run_create(
    *,
    student,
    market: str,
    specialty,
    strength: str,
    couple: bool,
    seed: int,
    ranking,
    outline=None,
) -> PracticeRun:
    """Build the market, run ``ranking`` in it (program ids, or a couple's rows) with its
    lessons, and save the run with a snapshot of the market."""
    sandbox = practice_market(
        market=market,
        specialty=specialty,
        strength=strength,
        couple=couple,
        seed=seed,
        outline=outline,
    )
    if couple:
        result = run_couple(sandbox, ranking)
        named = [pid for row in ranking for pid in row if pid]
    else:
        result = run_single(sandbox, ranking)
        named = list(ranking)
    summary = {"market": snapshot(sandbox, named), "result": result}
    with transaction.atomic():
        return PracticeRun.objects.create(
            student=student,
            market=market,
            specialty=specialty if market == PracticeRun.Market.GENERATED else None,
            specialty_name=specialty.name
            if specialty and market == PracticeRun.Market.GENERATED
            else "",
            seed=sandbox.seed,
            strength=strength,
            couple=couple,
            ranking=[list(row) for row in ranking] if couple else list(ranking),
            summary=summary,
        )
