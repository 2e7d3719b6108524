"""build_features: plain rows to columns, unknowns kept, bad rows named."""

import copy
import math

import numpy as np
import pytest

from medmatch.fit import FeatureError, build_features
from tests.fit.factories import make_features, make_row


def test_it_keeps_unknown_facts_unknown():
    features = make_features(
        make_row(1, specialty="cardio", weekly_hours=60, latitude=42.0, longitude=-71.0),
        make_row(2),
    )
    assert features.weekly_hours[0] == 60 and math.isnan(features.weekly_hours[1])
    assert math.isnan(features.latitude[1]) and math.isnan(features.cos_lat[1])
    assert features.specialty[1] == -1 and features.visa[1] == -1
    assert not features.departments_known[1] and not features.affiliations_known[1]
    assert math.isnan(features.academic[1])


def test_it_counts_specialties_per_institution():
    features = make_features(
        make_row(1, specialty="cardio", institution_id="a"),
        make_row(2, specialty="im", institution_id="a"),
        make_row(3, specialty="im", institution_id="a"),
        make_row(4, specialty="surg", institution_id="b", specialty_count=12),
        make_row(5, specialty="surg"),
    )
    assert features.specialty_count[:4].tolist() == [2, 2, 2, 12]
    assert math.isnan(features.specialty_count[4])


def test_it_derives_how_academic_a_setting_is():
    features = make_features(
        make_row(1, institution_kind="academic"),
        make_row(2, institution_kind="community"),
        make_row(3, institution_kind="community", is_teaching=True),
        make_row(4, institution_kind="va", is_teaching=False),
        make_row(5, institution_kind="critical_access", resident_fte=250),
        make_row(6, institution_kind="childrens"),
    )
    assert features.academic[:5].tolist() == [1.0, 0.25, 0.5, 0.25, 1.0]
    assert math.isnan(features.academic[5])


def test_it_stores_departments_and_affiliations_sparsely():
    features = make_features(
        make_row(1, departments={"cardio": 0.9, "im": 0.4}, residency_affiliations=["cardio"]),
        make_row(2, departments=[], residency_affiliations=[]),
        make_row(3, departments=["surg"]),
    )
    assert features.department_program.tolist() == [0, 0, 2]
    assert features.department_strength.tolist() == pytest.approx([0.9, 0.4, 1.0])
    assert features.departments_known.tolist() == [True, True, True]
    assert features.affiliations_known.tolist() == [True, True, False]
    assert features.affiliation_program.tolist() == [0]


@pytest.mark.parametrize(
    ("row", "key", "words"),
    [
        ({"id": 7, "latitude": 123, "longitude": 0}, "latitude", "between"),
        ({"id": 7, "latitude": 12}, "longitude", "both coordinates"),
        ({"id": 7, "weekly_hours": "many"}, "weekly_hours", "number"),
        ({"id": 7, "institution_kind": "castle"}, "institution_kind", "academic"),
        ({"id": 7, "visa_sponsorship": "o1"}, "visa_sponsorship", "j1_h1b"),
        ({"id": 7, "country": "USA"}, "country", "alpha-2"),
        ({"id": 7, "departments": {"im": 2}}, "departments", "[0, 1]"),
        ({"id": 7, "is_teaching": "yes"}, "is_teaching", "true, false"),
        ({"id": None}, "id", "non-empty"),
    ],
)
def test_it_names_row_id_and_key_of_bad_rows(row, key, words):
    with pytest.raises(FeatureError) as error:
        build_features([{"id": 1}, row])
    assert error.value.row == 2 and error.value.key == key
    assert str(error.value).startswith(f"row 2 (program {row['id']!r}): {key}: ")
    assert words in str(error.value)


def test_it_rejects_duplicate_ids():
    with pytest.raises(FeatureError, match="duplicate"):
        build_features([{"id": "a"}, {"id": "a"}])


def test_it_does_not_mutate_rows():
    rows = [make_row(1, departments={"im": 0.5}, residency_affiliations=["im"], country="US")]
    before = copy.deepcopy(rows)
    build_features(rows)
    assert rows == before


def test_it_stacks_a_float32_matrix_for_the_benchmark_floor():
    features = make_features(make_row(1, weekly_hours=50), make_row(2))
    matrix = features.matrix()
    assert matrix.dtype == np.float32 and matrix.shape[1] == 2
    assert features.matrix() is matrix
