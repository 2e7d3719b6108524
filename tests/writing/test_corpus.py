"""The issue-13 corpus: well-formed halves, a frozen test half that cannot change unnoticed, and
floors on the tune figures so a change that breaks the analyzer fails here (the targets
themselves are judged on the test half by benchmarks/writing_evaluate.py)."""

import hashlib

import pytest

from tests.writing.corpus_evaluation import (
    CORPUS,
    check_frozen,
    feature_scores,
    read_jsonl,
    sentence_scores,
)
from tests.writing.evaluation import score

KINDS = {
    "vague_experience",
    "origin_story",
    "trait_list",
    "specialty_cliche",
    "medicine_platitude",
    "passion_claim",
    "helping_people",
    "vague_goal",
    "program_praise",
    "famous_quote",
    "other",
}
VOICES = {"us_md", "us_do", "img", "career_changer", "fellowship"}
HALVES = [half for half in ("tune", "test") if (CORPUS / half / "sentences.jsonl").exists()]


@pytest.mark.parametrize("half", HALVES)
def test_each_half_follows_the_label_definitions(half):
    folder = CORPUS / half
    sentences = read_jsonl(folder / "sentences.jsonl")
    assert len({row["id"] for row in sentences}) == len(sentences)
    for row in sentences:
        assert row["label"] in ("generic", "specific"), row["id"]
        assert (row["kind"] in KINDS) if row["label"] == "generic" else row["kind"] is None
        assert row["voice"] in VOICES and isinstance(row["hard"], bool), row["id"]
    programs = {row["id"]: row for row in read_jsonl(folder / "programs.jsonl")}
    for program in programs.values():
        assert 4 <= len(program["features"]) <= 6, program["id"]
    for row in read_jsonl(folder / "paragraphs.jsonl"):
        features = programs[row["program"]]["features"]
        assert set(row["mentions"]) <= set(features), row["id"]
        for item in row.get("foreign_mentions", []):
            assert item["feature"] in programs[item["program"]]["features"], row["id"]


def test_the_tune_half_is_big_enough_and_has_hard_cases_both_ways():
    sentences = read_jsonl(CORPUS / "tune" / "sentences.jsonl")
    paragraphs = read_jsonl(CORPUS / "tune" / "paragraphs.jsonl")
    assert len(sentences) >= 200 and len(paragraphs) >= 20
    hard = {row["label"] for row in sentences if row["hard"]}
    assert hard == {"generic", "specific"}
    assert {row["kind"] for row in sentences} - {None} == KINDS
    assert {row["voice"] for row in sentences} == VOICES


def test_a_changed_frozen_file_is_caught(tmp_path):
    (tmp_path / "sentences.jsonl").write_text('{"id": 1}\n', encoding="utf-8")
    digest = hashlib.sha256(b'{"id": 1}\n').hexdigest()
    (tmp_path / "FROZEN.sha256").write_text(f"{digest}  sentences.jsonl\n", encoding="utf-8")
    assert check_frozen(tmp_path) == [f"{digest}  sentences.jsonl"]
    (tmp_path / "sentences.jsonl").write_text('{"id": 2}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"sentences\.jsonl has sha256"):
        check_frozen(tmp_path)


@pytest.mark.skipif(
    not (CORPUS / "test" / "FROZEN.sha256").exists(), reason="test half not copied in"
)
def test_the_test_half_matches_its_frozen_hashes():
    assert check_frozen(CORPUS / "test")


def test_tune_figures_do_not_regress():
    scores = sentence_scores(CORPUS / "tune")
    assert scores["overall"].precision >= 0.85 and scores["overall"].recall >= 0.85
    assert scores["hard"].recall >= 0.75
    mentions = feature_scores(CORPUS / "tune")["mentions"]
    assert mentions.precision >= 0.85 and mentions.recall >= 0.75


def test_the_old_set_stays_a_working_regression_set():
    scores = score(None)
    assert scores.precision >= 0.85 and scores.recall >= 0.85


@pytest.mark.skipif(
    not (CORPUS / "test2" / "FROZEN.sha256").exists(), reason="test2 half not copied in"
)
def test_the_mention_figures_on_test2_do_not_regress():
    """test2 was written blind but has since been studied for tuning (its misses read), so it
    is a floor against regressions here, not the held-out measure."""
    assert check_frozen(CORPUS / "test2")
    mentions = feature_scores(CORPUS / "test2")["mentions"]
    assert mentions.precision >= 0.85 and mentions.recall >= 0.85


def test_the_mention_targets_hold_on_the_blind_test3_set():
    """test3 was written blind (its writer read only LABELS.md) and frozen before it was first
    scored, after the tuning on test2 had ended: the held-out measure of issue 13's mention
    targets (precision >= 0.85, recall >= 0.75). Do not tune on it."""
    assert check_frozen(CORPUS / "test3")
    mentions = feature_scores(CORPUS / "test3")["mentions"]
    assert mentions.precision >= 0.85 and mentions.recall >= 0.75


def _writing_evaluate():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "writing_evaluate.py"
    spec = importlib.util.spec_from_file_location("writing_evaluate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_writing_evaluate_scores_any_half_folder_and_checks_its_hashes(
    tmp_path, monkeypatch, capsys
):
    evaluate = _writing_evaluate()
    monkeypatch.setattr(evaluate, "CORPUS", tmp_path)
    half = tmp_path / "test3"
    half.mkdir()
    (tmp_path / "notes").mkdir()  # no data files: not a half
    programs = (
        '{"id": "a", "name": "Alder Surgery Residency", "features": {"f1": "robotic surgery"}}\n'
    )
    paragraphs = (
        '{"id": "p-1", "program": "a", "text": "I trained on a robot.", "mentions": ["f1"]}\n'
    )
    (half / "programs.jsonl").write_text(programs, encoding="utf-8")
    (half / "paragraphs.jsonl").write_text(paragraphs, encoding="utf-8")
    assert evaluate.halves() == ["test3"]
    evaluate.report("test3", show_mistakes=False)
    out = capsys.readouterr().out
    assert "not frozen" in out and "mentions" in out
    digest = hashlib.sha256(b"something else").hexdigest()
    (half / "FROZEN.sha256").write_text(f"{digest}  programs.jsonl\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"programs\.jsonl has sha256"):
        evaluate.report("test3", show_mistakes=False)
