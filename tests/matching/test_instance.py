"""Malformed instances: every error names the record and the field."""

import json

import pytest

from medmatch.matching import InstanceError, load_any
from medmatch.matching.compact import to_compact, to_compact_dict
from medmatch.matching.instance import from_dict, load, to_dict, validate

GOOD = {
    "applicants": [{"id": "a", "ranking": ["p", "q"]}, {"id": "b", "ranking": ["p"]}],
    "programs": [
        {"id": "p", "capacity": 1, "ranking": ["a", "b", "c1"]},
        {"id": "q", "capacity": 2, "ranking": ["a", "c2"]},
    ],
    "couples": [{"id": "c", "members": ["c1", "c2"], "ranking": [["p", "q"], [None, "q"]]}],
}


def broken(path: list, value) -> dict:
    document = json.loads(json.dumps(GOOD))
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return document


@pytest.mark.parametrize(
    ("path", "value", "record", "field", "reason"),
    [
        (["applicants", 0, "ranking"], ["p", "zz"], "applicant 'a'", "ranking", "unknown id 'zz'"),
        (["applicants", 0, "ranking"], ["p", "p"], "applicant 'a'", "ranking", "appears twice"),
        (["programs", 0, "capacity"], -1, "program 'p'", "capacity", "must not be negative"),
        (["programs", 0, "capacity"], "3", "program 'p'", "capacity", "must be an integer"),
        (["programs", 1, "ranking"], ["nobody"], "program 'q'", "ranking", "unknown id"),
        (["applicants", 1, "id"], "c1", "couple 'c'", "members", "also listed as applicant"),
        (["couples", 0, "ranking"], [[None, None]], "couple 'c'", "ranking", "no match for both"),
        (["couples", 0, "ranking"], [["p", "x"]], "couple 'c'", "ranking", "unknown id 'x'"),
        (["couples", 0, "members"], ["c1"], "couple 'c'", "members", "exactly two"),
        (["programs", 1, "id"], "p", "program 'p'", "id", "duplicate program id"),
        (["programs", 0, "track"], "senior", "program 'p'", "track", "must be one of"),
        (["programs", 0, "revert_to"], "p", "program 'p'", "revert_to", "itself"),
    ],
)
def test_it_names_the_record_and_field_of_a_malformed_instance(path, value, record, field, reason):
    with pytest.raises(InstanceError) as raised:
        from_dict(broken(path, value))
    error = raised.value
    assert isinstance(error, ValueError)
    assert (error.record, error.field) == (record, field)
    assert reason in error.reason


def test_it_rejects_a_document_that_is_not_json(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    with pytest.raises(InstanceError, match="not valid JSON"):
        load(path)


def test_it_round_trips_records_json_and_csv(tmp_path):
    instance = from_dict(GOOD)
    assert from_dict(to_dict(instance)) == instance
    from medmatch.matching.instance import dump

    dump(instance, tmp_path / "csv")
    assert load(tmp_path / "csv") == instance
    assert load_any(tmp_path / "csv") == to_compact(instance)


def test_it_names_the_record_in_a_malformed_csv(tmp_path):
    (tmp_path / "applicants.csv").write_text("id,ranking\na,p p\n")
    (tmp_path / "programs.csv").write_text("id,capacity,ranking\np,x,a\n")
    with pytest.raises(InstanceError, match="program 'p': field 'capacity'"):
        load(tmp_path)
    (tmp_path / "programs.csv").write_text("id,capacity,ranking\np,1,a\n")
    with pytest.raises(InstanceError, match="applicant 'a': field 'ranking': 'p' appears twice"):
        load(tmp_path)


def test_it_validates_the_compact_encoding(tmp_path):
    document = to_compact_dict(to_compact(from_dict(GOOD)))
    path = tmp_path / "i.json"
    path.write_text(json.dumps(document))
    assert load_any(path) == to_compact(from_dict(GOOD))
    for field, value, message in [
        ("capacity", [1, -2], "program 'q': field 'capacity'"),
        ("couple_members", ["a", "c2"], "applicant 'a': field 'id': duplicate"),
        ("applicant_programs", "AAAAAAAAAAAAAAAA", "applicant 'a': field 'ranking'"),
        ("program_start", "AAAAAA==", "field 'program_start'"),
    ]:
        path.write_text(json.dumps({**document, field: value}))
        with pytest.raises(InstanceError, match=message):
            load_any(path)


def test_it_never_mutates_its_input():
    instance = validate(from_dict(GOOD))
    before = to_dict(instance)
    from medmatch.matching import check, solve

    result = solve(instance, "nrmp")
    check(instance, result)
    assert to_dict(instance) == before
