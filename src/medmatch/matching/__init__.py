"""medmatch.matching: a pure stable-matching engine for medical placements (no Django).

Public API: load and validate instances, solve under a clearinghouse's rules, check a result with
an independent brute-force checker, explain each applicant's outcome. See docs/matching.md.
Names are imported lazily (PEP 562) so that the command line starts fast.
"""

from importlib import import_module

_EXPORTS = {
    "Applicant": "instance",
    "Couple": "instance",
    "Instance": "instance",
    "InstanceError": "instance",
    "Program": "instance",
    "Region": "instance",
    "load": "instance",
    "validate": "instance",
    "CompactInstance": "compact",
    "to_compact": "compact",
    "expand": "compact",
    "load_any": "compact",
    "Result": "result",
    "RULES": "rules",
    "get_rules": "rules",
    "BlockingPair": "checker",
    "CheckReport": "checker",
    "check": "checker",
    "Explanation": "explanations",
    "explain": "explanations",
    "explain_all": "explanations",
    "generate": "generator",
    "applicant_proposing": "solver",
    "jrmp": "solver",
    "nrmp": "solver",
    "program_proposing": "solver",
    "roth_peranson": "solver",
    "serial_dictatorship": "solver",
    "solve": "solver",
    "target_capacities": "solver",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        module = import_module(f".{_EXPORTS[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
