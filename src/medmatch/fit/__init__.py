"""The fit engine: rank programs against a student's goals and explain every number.

Pure: plain data in (``Goals``, ``ProgramFeatures`` from plain rows), new values out; no Django.
Typical use (see docs/fit.md)::

    features = build_features(rows, specialty_names)  # once per catalog version
    ranking = rank(Goals.from_dict(data), features)
    for explanation in ranking.top(50):
        explanation.program_id, explanation.total, explanation.low, explanation.high
        [c.sentence for c in explanation.contributions]
    ranking.explain(some_id)  # also for a program a deal-breaker filtered out
"""

from medmatch.fit.engine import Contribution, Explanation, Ranking, mmr, rank, score_columns
from medmatch.fit.features import FeatureError, ProgramFeatures, build_features
from medmatch.fit.goals import (
    Answer,
    Area,
    Cost,
    Countries,
    Goals,
    GoalsError,
    Hours,
    International,
    Languages,
    Length,
    Location,
    Objective,
    Place,
    Regions,
    Rent,
    Residency,
    Setting,
    Specialties,
    SpecialtyInterest,
    Stipend,
    Teaching,
    Tracks,
    Trauma,
    Visa,
)

__all__ = [
    "Answer",
    "Area",
    "Contribution",
    "Cost",
    "Countries",
    "Explanation",
    "FeatureError",
    "Goals",
    "GoalsError",
    "Hours",
    "International",
    "Languages",
    "Length",
    "Location",
    "Objective",
    "Place",
    "ProgramFeatures",
    "Ranking",
    "Regions",
    "Rent",
    "Residency",
    "Setting",
    "Specialties",
    "SpecialtyInterest",
    "Stipend",
    "Teaching",
    "Tracks",
    "Trauma",
    "Visa",
    "build_features",
    "mmr",
    "rank",
    "score_columns",
]
