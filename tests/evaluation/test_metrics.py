from __future__ import annotations

import pytest

from service.evaluation import metrics
from service.evaluation.report import aggregate
from tests.test_citations import FERRY, STRIKE


def test_normalized_exact_match_and_f1() -> None:
    assert metrics.exact_match("The Minneapolis. [1]", ["minneapolis"]) == 1.0
    assert metrics.exact_match("Houston", ["Minneapolis"]) == 0.0
    assert metrics.token_f1("Minneapolis", ["Minneapolis"]) == 1.0
    assert metrics.token_f1("Houston", ["Minneapolis"]) == 0.0
    assert metrics.token_f1("city of Minneapolis", ["Minneapolis"]) == pytest.approx(2 * (1 / 3) / (1 / 3 + 1))
    assert metrics.contained("It was Minneapolis, Minnesota [2].", ["minneapolis"]) == 1.0
    # Gold answers of the public set quote titles with curly quotes; answers mostly with straight ones.
    assert metrics.contained('The film "Sinners" set the record [1].', ["“Sinners”"]) == 1.0
    assert metrics.exact_match("Britain's King Charles III", ["Britain’s King Charles III"]) == 1.0
    # A figure in words or in digits is one answer; another figure is not.
    assert metrics.contained("The United States has hosted the Winter Olympics 4 times [3].", ["Four"]) == 1.0
    assert metrics.contained("It has hosted them five times.", ["Four"]) == 0.0
    assert metrics.pick_choice("Vonn has won 3 Olympic medals.", ["One", "Three", "Four", "Five"]) == 1


@pytest.mark.parametrize(
    ("answer", "picked"),
    [("B) Houston", 1), ("The answer is C.", 2), ("It happened in Minneapolis [1].", 3), ("No idea", None)],
)
def test_pick_choice(answer: str, picked: int | None) -> None:
    assert metrics.pick_choice(answer, ["Los Angeles", "Houston", "Miami", "Minneapolis"]) == picked


def test_retrieval_metrics() -> None:
    assert metrics.recall_at_k(["a", "b", "c"], ["c", "d"], 3) == 0.5
    assert metrics.recall_at_k(["a"], [], 3) is None
    assert metrics.reciprocal_rank(["a", "b", "c"], ["c"]) == pytest.approx(1 / 3)
    assert metrics.reciprocal_rank(["a"], ["z"]) == 0.0
    assert metrics.answer_in_passages(["x", "the Minneapolis shooting"], ["Minneapolis"], 1) == 0.0
    assert metrics.answer_in_passages(["x", "the Minneapolis shooting"], ["Minneapolis"], 2) == 1.0


def test_refusal_scores() -> None:
    scores = metrics.refusal_scores([True, True, False, False], [True, False, True, False])
    assert scores == {"refusal_precision": 0.5, "refusal_recall": 0.5}


def test_citation_scores_judge_the_models_markers() -> None:
    perfect = metrics.citation_scores("About 400 dock workers walked out [1]. The council approved the ferry route [2].",
                                      [STRIKE, FERRY])
    assert perfect == {"citation_precision": 1.0, "citation_recall": 1.0}
    wrong = metrics.citation_scores("About 400 dock workers walked out [2]. The ferry costs 99 dollars.", [STRIKE, FERRY])
    assert wrong == {"citation_precision": 0.0, "citation_recall": 0.0}


def record(qid: str, contained: float, refused: bool = False, unanswerable: bool = False) -> dict:
    return {
        "id": qid, "type": "factoid", "refused": refused, "unanswerable": unanswerable,
        "scores": {"contained": contained, "em": contained},
        "timings": {"total_ms": 1000.0}, "usage": {"prompt_tokens": 10, "completion_tokens": 2},
    }


def test_a_perfect_run_scores_one_and_a_failed_run_zero() -> None:
    perfect = aggregate([record("q1", 1.0), record("q2", 1.0), record("q3", 0.0, refused=True, unanswerable=True)])
    assert perfect["overall"]["em"] == pytest.approx(2 / 3)
    assert perfect["by_type"]["factoid"]["contained"] == pytest.approx(2 / 3)
    assert perfect["overall"]["refusal_precision"] == 1.0
    failed = aggregate([record("q1", 0.0, refused=True), record("q2", 0.0)])
    assert failed["overall"]["contained"] == 0.0 and failed["overall"]["refusal_precision"] == 0.0
    assert aggregate([record("q1", 1.0), record("q2", 1.0)])["overall"]["contained"] == 1.0


def test_refusals_are_reported_apart_where_the_gold_answer_is_nowhere_in_the_corpus() -> None:
    found = record("q1", 1.0) | {"gold_in_corpus": True}
    refused = record("q2", 0.0, refused=True) | {"gold_in_corpus": True}
    absent = record("q3", 0.0, refused=True) | {"gold_in_corpus": False}
    summary = aggregate([found, refused, absent])
    assert summary["by_type"]["gold in corpus"]["refusal_rate"] == 0.5
    assert summary["by_type"]["gold not in corpus"]["refusal_rate"] == 1.0
    assert "gold in corpus" not in aggregate([record("q1", 1.0)])["by_type"]  # older runs: no such rows
