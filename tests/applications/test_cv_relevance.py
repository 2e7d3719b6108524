"""The tailored CV's ranking (pure): reasons for each point, sections grouped with education first,
ties in the student's order, moves inside a section; and that it imports no Django."""

import ast
import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medmatch.applications import cv_relevance
from medmatch.applications.cv_relevance import Item, ProgramFacts, rank

TODAY = datetime.date(2025, 9, 10)
MEDICINE = ProgramFacts(
    specialty_label="Internal Medicine",
    specialty_slugs=("internal-medicine",),
    specialty_terms=("Internal Medicine", "internist"),
    program_type="residency",
    emphasis="teaching",
)


def test_it_puts_an_entry_tagged_with_the_programs_specialty_first_and_says_why():
    items = [
        Item(1, "clinical", "Surgery sub-internship", tags=("surgery",)),
        Item(2, "clinical", "Free clinic", tags=("internal-medicine",)),
    ]
    ranked = rank(items, MEDICINE, TODAY)
    assert [r.id for r in ranked] == [2, 1]
    assert ranked[0].reasons[0] == "tagged Internal Medicine = program's specialty"
    assert "clinical experience suits a residency track" in ranked[0].reasons
    assert all(r.included for r in ranked)


def test_it_counts_the_specialty_named_in_the_text():
    (ranked,) = rank(
        [Item(1, "research", "Study", description="Worked with an internist")], MEDICINE, TODAY
    )
    assert ranked.reasons[0] == "mentions internist (the program's specialty)"
    assert ranked.score == cv_relevance.SPECIALTY_TEXT + 2


def test_it_keeps_education_first_and_groups_sections_together():
    items = [
        Item(1, "volunteering", "Food bank"),
        Item(2, "clinical", "Clinic A", position=5),
        Item(3, "education", "MD"),
        Item(4, "clinical", "Clinic B", position=1),
        Item(5, "teaching", "Tutor"),
    ]
    ids = [r.id for r in rank(items, MEDICINE, TODAY)]
    assert ids[0] == 3
    assert ids[1:3] == [4, 2]  # same score: the student's own order
    assert ids.index(5) < ids.index(1)  # teaching-focused program: teaching before volunteering


def test_it_leaves_out_entries_with_too_few_points_but_never_education_skills_languages():
    items = [
        Item(1, "volunteering", "Food bank"),
        Item(2, "skills", "R"),
        Item(3, "languages", "Spanish"),
        Item(4, "education", "BS"),
    ]
    included = {r.id: r.included for r in rank(items, MEDICINE, TODAY)}
    assert included == {1: False, 2: True, 3: True, 4: True}


def test_it_rewards_meaningful_and_recent_entries():
    items = [
        Item(
            1, "volunteering", "Old", start=datetime.date(2010, 1, 1), end=datetime.date(2012, 1, 1)
        ),
        Item(2, "volunteering", "Ongoing", start=datetime.date(2024, 1, 1), meaningful=True),
    ]
    first, second = rank(items, ProgramFacts(), TODAY)
    assert first.id == 2
    assert first.reasons == ("one of your 3 most meaningful experiences", "ongoing")
    assert second.reasons == ()


def test_it_suits_research_placements_to_research_and_publications():
    program = ProgramFacts(program_type="research")
    items = [
        Item(1, "clinical", "Clinic"),
        Item(2, "publications", "Paper"),
        Item(3, "research", "Lab"),
    ]
    assert [r.id for r in rank(items, program, TODAY)] == [3, 2, 1]


def test_it_refuses_an_unknown_section():
    with pytest.raises(ValueError, match="section"):
        rank([Item(1, "hobbies", "Chess")], MEDICINE, TODAY)


def test_it_moves_an_entry_only_within_its_section():
    sections = {1: "education", 2: "clinical", 3: "clinical", 4: "teaching"}
    assert cv_relevance.move([1, 2, 3, 4], 3, -1, sections) == [1, 3, 2, 4]
    assert cv_relevance.move([1, 2, 3, 4], 2, -1, sections) == [1, 2, 3, 4]
    assert cv_relevance.move([1, 2, 3, 4], 4, 1, sections) == [1, 2, 3, 4]
    assert cv_relevance.move_section([1, 2, 3, 4], "teaching", -1, sections) == [1, 4, 2, 3]
    with pytest.raises(ValueError):
        cv_relevance.move([1], 1, 2, sections)


items_strategy = st.lists(
    st.builds(
        Item,
        id=st.integers(1, 10_000),
        section=st.sampled_from(cv_relevance.SECTIONS),
        title=st.text(max_size=20),
        tags=st.lists(st.sampled_from(["internal-medicine", "surgery", "r"]), max_size=2).map(
            tuple
        ),
        meaningful=st.booleans(),
        position=st.integers(0, 20),
    ),
    max_size=25,
    unique_by=lambda item: item.id,
)


@given(items_strategy, st.sampled_from(["residency", "research", "public_health", ""]))
def test_it_ranks_every_entry_once_with_each_section_in_one_block(items, program_type):
    before = list(items)
    ranked = rank(
        items, ProgramFacts(program_type=program_type, specialty_slugs=("surgery",)), TODAY
    )
    assert sorted(r.id for r in ranked) == sorted(i.id for i in items)
    sections = [r.section for r in ranked]
    blocks = [s for n, s in enumerate(sections) if n == 0 or sections[n - 1] != s]
    assert len(blocks) == len(set(blocks))
    if "education" in sections:
        assert sections[0] == "education"
    assert items == before


def test_it_imports_no_django():
    source = Path(cv_relevance.__file__).read_text()
    for path in [
        cv_relevance.__file__,
        cv_relevance.__file__.replace("cv_relevance", "statement_text"),
    ]:
        tree = ast.parse(Path(path).read_text())
        names = [
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in (
                node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
            )
        ]
        assert not [name for name in names if name.startswith(("django", "medmatch"))], path
    assert source
