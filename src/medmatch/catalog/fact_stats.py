"""How many programs have each fact known, by scope (issue 11), for `medmatch stats`.

Counted from the fact sheets themselves (``program_facts``), so a fact any provider adds to the
sheet is counted without code here: the count says what a student would see on the pages.
"""

from collections import Counter

# The scopes counted, in the order the stats show them; "unknown" = on the sheet, not known.
SCOPES = ("program", "institution", "place", "rule", "unknown")
# Programs whose page has no row for the fact at all (a CaRMS stream has no ACGME duty-hour rule,
# a Canadian program no US teaching intensity): counted so each fact's figures add up to every
# program, and left out where zero.
NOT_ON_PAGE = "not on the page"


def program_fact_counts(*, chunk_size: int = 1000) -> dict[str, dict[str, int]]:
    """``{fact label: {scope: programs}}`` over every program, labels in sheet order.

    The programs are read in chunks with their related rows joined in and the rule tables loaded
    once, so the cost is building the sheets, not queries (one query per chunk and relation).
    """
    from medmatch.catalog.facts import program_facts
    from medmatch.catalog.rule_facts import RuleBook
    from medmatch.catalog.views.details import programs_with_facts, with_sources

    rules = RuleBook.load()
    counts: dict[str, Counter] = {}
    total = 0
    for program in programs_with_facts().order_by("pk").iterator(chunk_size=chunk_size):
        total += 1
        sheet = program_facts(with_sources(program), rules)
        # One count per program and fact: where a sheet has a label twice, a known value wins.
        scopes: dict[str, str] = {}
        for fact in sheet.facts:
            scope = "unknown" if fact.unknown else sheet.scope_of(fact)
            if scopes.get(fact.label, "unknown") == "unknown":
                scopes[fact.label] = scope
        for label, scope in scopes.items():
            counts.setdefault(label, Counter())[scope] += 1
    for counter in counts.values():
        missing = total - sum(counter.values())
        if missing:
            counter[NOT_ON_PAGE] = missing
    return {
        label: {scope: counter.get(scope, 0) for scope in SCOPES}
        | {scope: n for scope, n in counter.items() if scope not in SCOPES}
        for label, counter in counts.items()
    }
