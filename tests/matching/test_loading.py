"""Records JSON and CSV read straight into the compact form: the same instance, the same errors."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medmatch.matching import InstanceError, load_any
from medmatch.matching.compact import to_compact
from medmatch.matching.instance import Instance, from_dict, to_csv_directory, to_dict
from medmatch.matching.loading import _Index, compact_from_csv_directory, compact_from_records

from .strategies import instances
from .test_instance import GOOD, broken

FAST = settings(max_examples=200, deadline=None)


@FAST
@given(instances(max_couples=2, tracks=True, regions=True))
def test_it_reads_records_json_as_the_records_path_does(instance):
    assert compact_from_records(to_dict(instance)) == to_compact(instance)


@FAST
@given(instances(max_couples=2, tracks=True, regions=True))
def test_it_reads_a_csv_directory_as_the_records_path_does(tmp_path_factory, instance):
    directory = tmp_path_factory.mktemp("csv")
    to_csv_directory(instance, directory)
    assert compact_from_csv_directory(directory) == to_compact(instance)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["applicants", 0, "ranking"], ["p", "zz"]),
        (["applicants", 0, "ranking"], ["p", "p"]),
        (["applicants", 0, "ranking"], "p"),
        (["applicants", 0, "ranking"], ["p", 3]),
        (["applicants", 0, "id"], "a b"),
        (["applicants", 0, "id"], "a|b"),
        (["applicants", 0, "id"], ""),
        (["applicants", 0, "id"], 7),
        (["applicants", 1, "id"], "a"),
        (["applicants", 1, "id"], "c1"),
        (["programs", 0, "capacity"], -1),
        (["programs", 0, "capacity"], True),
        (["programs", 0, "ranking"], ["a", "a"]),
        (["programs", 1, "ranking"], ["nobody"]),
        (["programs", 1, "id"], "p"),
        (["programs", 0, "track"], None),
        (["programs", 0, "track"], "senior"),
        (["programs", 0, "revert_to"], "p"),
        (["programs", 0, "revert_to"], ""),
        (["programs", 0, "region"], "north"),
        (["couples", 0, "ranking"], [[None, None]]),
        (["couples", 0, "ranking"], [["p", "x"]]),
        (["couples", 0, "ranking"], [["p", "q"], ["p", "q"]]),
        (["couples", 0, "ranking"], [["p", "q", "p"]]),
        (["couples", 0, "members"], ["c1"]),
        (["couples", 0, "members"], ["c1", "c1"]),
        (["applicants", 0, "supplemental"], ["q"]),
    ],
)
def test_it_raises_the_records_paths_error_for_a_malformed_document(path, value):
    document = broken(path, value)
    with pytest.raises(InstanceError) as expected:
        from_dict(document)
    with pytest.raises(InstanceError) as raised:
        compact_from_records(document)
    assert str(raised.value) == str(expected.value)


def test_it_reads_long_and_non_ascii_ids_and_keeps_streams_as_records(tmp_path):
    document = json.loads(json.dumps(GOOD))
    document["applicants"][0]["id"] = "a" * 30
    document["programs"][0]["ranking"][0] = document["programs"][1]["ranking"][0] = "a" * 30
    document["applicants"][1]["id"] = "bé"
    document["programs"][0]["ranking"][1] = "bé"
    assert compact_from_records(document) == to_compact(from_dict(document))
    document["applicants"][0]["streams"] = ["family"]
    document["programs"][0]["stream"] = "family"
    kept = compact_from_records(document)
    assert isinstance(kept, Instance) and kept.applicants[0].streams == ("family",)
    path = tmp_path / "i.json"
    path.write_text(json.dumps(document))
    assert isinstance(load_any(path), Instance)


def test_it_reads_quoted_csv_cells_with_the_csv_module(tmp_path):
    (tmp_path / "applicants.csv").write_text('id,ranking\n"a","p q"\nb,p\n')
    (tmp_path / "programs.csv").write_text("id,capacity,ranking\np,1,a b\nq,2,a\n")
    expected = to_compact(
        from_dict(
            {
                "applicants": [{"id": "a", "ranking": ["p", "q"]}, {"id": "b", "ranking": ["p"]}],
                "programs": [
                    {"id": "p", "capacity": 1, "ranking": ["a", "b"]},
                    {"id": "q", "capacity": 2, "ranking": ["a"]},
                ],
            }
        )
    )
    assert compact_from_csv_directory(tmp_path) == expected
    (tmp_path / "programs.csv").write_text("id,capacity,ranking\np,1,a b\nq,x,a\n")
    with pytest.raises(InstanceError, match="program 'q': field 'capacity'"):
        compact_from_csv_directory(tmp_path)


@FAST
@given(
    st.lists(st.text(alphabet="ab9|é \n", min_size=0, max_size=12), min_size=1, max_size=30),
    st.lists(st.text(alphabet="ab9|é \n", min_size=0, max_size=12), max_size=30),
)
def test_it_finds_every_known_name_and_no_unknown_one(ids, names):
    try:
        index = _Index(ids)
    except Exception:
        assert len(set(ids)) < len(ids)  # only a repeated id is refused
        return
    assert len(set(ids)) == len(ids)
    position = {name: i for i, name in enumerate(ids)}
    if all(name in position for name in names):
        assert index(names).tolist() == [position[name] for name in names]
    else:
        with pytest.raises(Exception):  # noqa: B017 - _Unusual or KeyError: both mean unknown
            index(names)


def test_it_does_not_take_a_line_break_inside_a_name_for_a_row_of_equal_names():
    # "999\n99" and "" joined are "999\n99\n\n": cut in rows of four bytes it looks like two
    # names of three characters ("999", "99\n"); the line break inside a name is refused first.
    index = _Index(["999\n99", ""])
    assert index([""]).tolist() == [1]
    assert index(["999\n99"]).tolist() == [0]
