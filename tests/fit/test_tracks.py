"""The residency track wish: categorical, preliminary, ... (NRMP track types)."""

import pytest

from medmatch.fit import Goals, GoalsError, Specialties, SpecialtyInterest, Tracks, rank
from tests.fit.factories import BOSTON, make_features, make_row


def _catalog():
    rows = []
    for n in range(30):
        # Preliminary years first in the catalog and nearer: only the track tells them apart.
        track = "preliminary" if n < 10 else "categorical"
        rows.append(
            make_row(
                f"{track}-{n}",
                specialty="im",
                program_type="residency",
                track_type=track,
                latitude=BOSTON.latitude,
                longitude=BOSTON.longitude,
            )
        )
    rows.append(make_row("unknown-track", specialty="im", program_type="residency"))
    rows.append(make_row("observership", specialty="im", program_type="observership"))
    return make_features(*rows)


def _goals(**tracks):
    return Goals(
        specialties=Specialties(interests=(SpecialtyInterest("im", 5),), weight=5),
        tracks=Tracks(("categorical",), **tracks),
    )


def test_it_puts_categorical_tracks_before_preliminary_years_for_a_categorical_student():
    ranking = rank(_goals(weight=4), _catalog())
    top = [e.program_id for e in ranking.top(20)]
    assert not [pid for pid in top if pid.startswith("preliminary")]
    assert ranking.explain("preliminary-0").total < ranking.explain("categorical-10").total


def test_it_filters_preliminary_years_out_when_the_track_is_a_deal_breaker():
    ranking = rank(_goals(weight=0, dealbreaker=True), _catalog())
    assert ranking.explain("preliminary-0").excluded
    assert ranking.explain("observership").excluded
    assert not ranking.explain("categorical-10").excluded
    unknown = ranking.explain("unknown-track")
    assert not unknown.excluded
    assert any("Residency track type unknown: check this" in s for s in unknown.checks)


def test_it_says_the_track_in_words():
    explanation = rank(_goals(weight=4), _catalog()).explain("preliminary-0")
    facts = {c.criterion: c.fact for c in explanation.contributions}
    assert facts["tracks"] == "Preliminary track (wish: categorical)"


def test_it_refuses_a_track_that_is_not_an_nrmp_track_type():
    with pytest.raises(GoalsError, match=r"tracks.codes\[0\]: must be one of categorical"):
        Goals.from_dict({"tracks": {"codes": ["transitional"]}})
    assert Goals.from_dict({"tracks": {"codes": ["categorical"]}}).tracks.codes == ("categorical",)
