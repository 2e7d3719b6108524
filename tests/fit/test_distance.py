"""Distance is great-circle (haversine) from the student's places."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from medmatch.fit import Location, Place, build_features, rank
from medmatch.fit.criteria import haversine_km as vectorised_haversine_km
from medmatch.lib.geo import haversine_km
from tests.fit.factories import make_goals, make_row

latitudes = st.floats(-89.9, 89.9)
longitudes = st.floats(-180, 180)


@given(latitudes, longitudes, st.lists(st.tuples(latitudes, longitudes), min_size=1, max_size=5))
def test_it_matches_the_reference_haversine(lat, lon, points):
    features = build_features(
        [make_row(i, latitude=p[0], longitude=p[1]) for i, p in enumerate(points)]
    )
    distances = vectorised_haversine_km(
        features.lat_rad, features.lon_rad, features.cos_lat, lat, lon
    )
    expected = [haversine_km(lat, lon, *p) for p in points]
    # float32 arithmetic: within a few metres near, a few parts per million far. Near the
    # antipode arcsin(sqrt(h)) is ill-conditioned (h within float32's 6e-8 of 1 moves the angle by
    # ~3.5e-4 rad, ~2.2 km); such points lie far beyond any radius, where the score is 0 anyway.
    for got, want in zip(distances.tolist(), expected, strict=True):
        antipodal = want > 19_900
        assert got == pytest.approx(want, rel=2e-5, abs=3.0 if antipodal else 0.05)


def test_closer_scores_higher_inside_the_radius_and_zero_beyond_three_radii():
    # Issue 11: 1 km and 225 km inside a 250 km radius scored the same 100. Now 1 at the
    # place, 0.7 at the radius, linear to 0 at three radii.
    place = Place(0.0, 0.0, 100, "Origin")
    km_per_degree = haversine_km(0, 0, 0, 1)
    rows = [
        make_row(km, latitude=0.0, longitude=km / km_per_degree) for km in (0, 50, 200, 299, 301)
    ]
    rows.append(make_row("unknown"))
    goals = make_goals(
        specialties=None, hours=None, setting=None, location=Location(places=(place,))
    )
    column = rank(goals, build_features(rows)).columns[0]
    assert column.score[:5].tolist() == pytest.approx([1, 0.85, 0.35, 0.0035, 0], abs=1e-3)
    assert np.isnan(column.score[5])


def test_it_uses_the_best_of_several_places():
    goals = make_goals(
        specialties=None,
        hours=None,
        setting=None,
        location=Location(
            places=(Place(42.36, -71.06, 50, "Boston"), Place(41.88, -87.63, 50, "Chicago"))
        ),
    )
    features = build_features([make_row("chicago", latitude=41.9, longitude=-87.6)])
    explanation = rank(goals, features).explain("chicago")
    assert explanation.contributions[0].sentence.startswith("3 km from Chicago (within 50 km)")
