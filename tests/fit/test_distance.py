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


@pytest.mark.parametrize("seed", range(6))
def test_the_reach_index_gives_the_bits_of_every_program_s_distance(seed):
    """The location column computes the haversine only for the programs within reach of a
    place (criteria._LocationIndex): scores, deal-breaker failures and named distances are
    those of the full pass over every program, near the poles and across +-180 degrees too."""
    from medmatch.fit.criteria import AT_RADIUS, _km, _nearness, location_column

    rng = np.random.default_rng(seed)
    lats = np.r_[rng.uniform(-90, 90, 1500), rng.choice([-89.99, 0.0, 60.0, 89.99], 500)]
    lons = np.r_[rng.uniform(-180, 180, 1500), rng.choice([-180.0, -179.95, 179.95, 180.0], 500)]
    rows = [
        make_row(i, latitude=float(a), longitude=float(o))
        for i, (a, o) in enumerate(zip(lats.tolist(), lons.tolist(), strict=True))
    ]
    rows += [make_row(len(rows) + i) for i in range(50)]  # position unknown
    features = build_features(rows)
    for _ in range(8):
        places = tuple(
            Place(
                float(rng.choice([rng.uniform(-90, 90), 89.9, -89.9, 0.0])),
                float(rng.choice([rng.uniform(-180, 180), 179.9, -179.9, 180.0])),
                float(rng.choice([1, 50, 300, 1000, 3000, 8000])),
                f"P{k}",
            )
            for k in range(int(rng.integers(1, 4)))
        )
        goals = make_goals(location=Location(places=places, weight=3, dealbreaker=True))
        column = location_column(features, goals)
        distances = [
            vectorised_haversine_km(
                features.lat_rad, features.lon_rad, features.cos_lat, p.latitude, p.longitude
            )
            for p in places
        ]
        score = None
        for place, d in zip(places, distances, strict=True):
            r = np.float32(place.radius_km)
            s = d * np.float32(-AT_RADIUS / (2 * place.radius_km)) + np.float32(AT_RADIUS * 1.5)
            s = np.clip(np.minimum(s, d * (np.float32(-(1 - AT_RADIUS)) / r) + np.float32(1)), 0, 1)
            score = s if score is None else np.fmax(score, s)
        assert column.score.view(np.uint32).tolist() == score.view(np.uint32).tolist()
        within = np.any([d <= p.radius_km for p, d in zip(places, distances, strict=True)], 0)
        assert column.fails.tolist() == (~within & ~np.isnan(score)).tolist()
        for i in range(len(features)):
            best = max(
                range(len(places)),
                key=lambda k: (_nearness(distances[k][i], places[k].radius_km), -distances[k][i]),
            )
            assert column.describe(i).startswith(f"{_km(distances[best][i])} from P{best} (")
