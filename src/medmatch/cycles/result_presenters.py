"""A student's match result in words: for each choice they ranked above their outcome, why it
did not take them, from the explanation stored at the run (``running._reasons``: a list per
reason, in the order of ``REASON_FIELDS``). Programs are named; other applicants never are —
only their ranks ("the last one it took was its 12th choice")."""

from dataclasses import dataclass

from medmatch.cycles.models import CycleProgram, MatchOutcome
from medmatch.cycles.running import REASON_FIELDS


def ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _positions(count: int) -> str:
    return f"{count} position" + ("s" if count != 1 else "")


@dataclass(frozen=True)
class Line:
    choice: str
    why: str


def program_names(ids) -> dict[int, str]:
    rows = CycleProgram.objects.filter(pk__in=set(ids) - {None}).values_list(
        "pk", "program__title", "program__institution__name"
    )
    return {pk: f"{title}, {institution}" for pk, title, institution in rows}


def _why(reason: dict, names: dict[int, str], whom: str, name: str = "") -> str:
    """One reason in words; ``whom`` is "you", "your partner" or "you both"; ``name`` what to
    call the program (default its name: a couple's row names two)."""
    name = name or names.get(reason["program"], "The program")
    kind = reason["kind"]
    capacity = reason["capacity"]
    if kind == "not_ranked":
        return f"{name} did not rank {whom}."
    if kind == "no_positions":
        if not capacity:
            return f"{name} had no positions in this match."
        return f"{name} had only {_positions(capacity)}; the couple needed two there."
    if kind == "regional_cap":
        return (
            f"{name} filled the positions its region's cap allowed with applicants it ranked "
            f"higher than {whom}; without the cap it had room."
        )
    if kind == "lottery":
        owner = "Its" if name == "It" else f"{name}'s"
        return (
            f"{owner} {_positions(capacity)} went to applicants drawn earlier in the lottery; "
            f"the last one it took was draw {reason['last_rank']}, {whom}: draw "
            f"{reason['your_rank']}."
        )
    if kind in ("filled_with_higher",):
        were = "were" if whom in ("you", "you both") else "was"
        return (
            f"{name} filled its {_positions(capacity)} with applicants it ranked higher than "
            f"{whom}; the last one it took was its {ordinal(reason['last_rank'])} choice; "
            f"{whom} {were} its {ordinal(reason['your_rank'])}."
        )
    # would_take: the checker reports the result unstable here; say so plainly.
    return (
        f"{name} would have taken {whom}: the result is not stable at this choice, and the "
        "match administrators have the checker's report."
    )


def explanation_lines(outcome: MatchOutcome) -> list[Line]:
    data = outcome.explanation or {}
    reasons = [dict(zip(REASON_FIELDS, row, strict=True)) for row in data.get("reasons", [])]
    names = program_names([p for reason in reasons for p in (*reason["choice"], reason["program"])])
    me = data.get("me", 0)
    lines = []
    for reason in reasons:
        choice = reason["choice"]
        if data.get("year"):
            first, year = choice
            label = names.get(first, "A program")
            label += f" with the preliminary year at {names[year]}" if year else ""
            whom = "you"
            why = _why(reason, names, whom)
            if reason["kind"] == "partner_not_placed":
                why = "The preliminary year: " + why
        elif len(choice) == 2:
            mine, theirs = choice[me], choice[1 - me]
            label = (
                f"You: {names.get(mine, 'no match')}; your partner: {names.get(theirs, 'no match')}"
            )
            whom = "you both" if mine is not None and mine == theirs else "you"
            if reason["kind"] == "partner_not_placed":
                why = "Your partner could not be placed: " + _why(reason, names, "your partner")
            else:
                why = _why(reason, names, whom)
        else:
            label = names.get(choice[0], "A program")
            why = _why(reason, names, "you", name="It")
        lines.append(Line(label, why))
    return lines
