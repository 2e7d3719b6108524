"""What the practice pages show, worked out from a market or a saved run's summary: names in
place of ids, and each lesson's rows with the sentence that sums it up."""

from django.http import QueryDict

from medmatch.cycles.markets import hand_made_market, snapshot
from medmatch.cycles.models import PracticeRun

VERDICTS = {
    "better": "Better by the list of that rerun",
    "same": "The same match",
    "worse": "Worse",
}


def program_lists(market: dict) -> list[dict]:
    """Each program of a shown market's snapshot with its list of applicants."""
    return [
        dict(program, ranking=market["rankings"][pid])
        for pid, program in market["programs"].items()
    ]


def hand_made_lists(*, couple: bool) -> dict:
    """The hand-made market's programs with their lists, and the rivals with theirs."""
    market = snapshot(hand_made_market(couple=couple))
    return {"programs": program_lists(market), "rivals": market["rivals"]}


def _name(names: dict, pid) -> str:
    return names.get(pid, pid) if pid else "no match"


def _moves(result: dict, names: dict) -> list[dict]:
    matched = result["matched"]
    rows = []
    for move in result["moves"]:
        pid, outcome = move["program"], move["matched"]
        if outcome == matched:
            why = (
                "you were matched there already"
                if pid == matched
                else f"{names[pid]} would not take you, wherever you rank it"
            )
        elif outcome == pid:
            why = f"{names[pid]}, now first, took you"
        else:
            why = "not what deferred acceptance guarantees: please report it"
        rows.append(
            {
                "program": names[pid],
                "position": move["position"],
                "outcome": _name(names, outcome),
                "verdict": VERDICTS[move["verdict"]],
                "worse": move["verdict"] == "worse",
                "why": why,
            }
        )
    return rows


def same_market_query(run: PracticeRun) -> str:
    """The list builder's query for the market of ``run`` (same seed, so the same competitors)."""
    query = QueryDict(mutable=True)
    query.update({"market": run.market, "strength": run.strength, "seed": run.seed or 1})
    if run.specialty_id:
        query["specialty"] = run.specialty_id
    if run.couple:
        query["couple"] = "on"
    return query.urlencode()


def run_context(run: PracticeRun) -> dict:
    summary = run.summary
    market, result = summary["market"], summary["result"]
    names = {pid: program["name"] for pid, program in market["programs"].items()}
    context = {"run": run, "market": market, "result": result, "names": names}
    context["same_market"] = same_market_query(run)
    if "rankings" in market:
        context["hand_made"] = {"programs": program_lists(market), "rivals": market["rivals"]}
    context["matched"] = _name(names, result["matched"]) if result["matched"] else None
    if result["mode"] == "single":
        context["list_rows"] = [
            {
                "rank": rank,
                "program": market["programs"][pid],
                "matched": pid == result["matched"],
            }
            for rank, pid in enumerate(result["list"], start=1)
        ]
        context["moves"] = _moves(result, names)
        context["moved_up_helped"] = sum(move["verdict"] == "better" for move in result["moves"])
        short = result["short_list"]
        context["short"] = {
            "names": [names[pid] for pid in short["list"]],
            "outcome": _name(names, short["matched"]) if short["matched"] else None,
            "verdict": short["verdict"],
        }
    else:
        context["partner_matched"] = (
            _name(names, result["partner_matched"]) if result["partner_matched"] else None
        )
        context["couple_rows"] = [
            {
                "number": number,
                "you": _name(names, row[0]),
                "partner": _name(names, row[1]),
                "matched": number == result["choice"],
            }
            for number, row in enumerate(result["rows"], start=1)
        ]
        other = result["no_match"]
        context["no_match"] = {
            "change": other["change"],
            "rows": [(_name(names, a), _name(names, b)) for a, b in other["rows"]],
            "you": _name(names, other["matched"]) if other["matched"] else None,
            "partner": _name(names, other["partner_matched"]) if other["partner_matched"] else None,
            "changed": (other["matched"], other["partner_matched"])
            != (result["matched"], result["partner_matched"]),
        }
    return context
