"""The retrieval evaluation on a real index: ranks, answer in prompt, report files, compare."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from service.evaluation.questions import EvalQuestion, QuestionSet, load_question_set
from service.evaluation.report import compare
from service.evaluation.retrieval_eval import answer_rank, evaluate, write_retrieval_report
from service.settings import Settings
from service.wiring import Services
from tests.conftest import REPO_ROOT


def test_answer_rank_is_the_first_passage_holding_the_gold() -> None:
    assert answer_rank(["nothing here", "It cost 19.5 million pounds."], ["19.5 million pounds"]) == 2
    assert answer_rank(["nothing here"], ["19.5 million pounds"]) is None


def question_set() -> QuestionSet:
    day = dt.date(2026, 11, 24)
    questions = [
        EvalQuestion("m1", "factoid", "What did the Millbrook flood barrier cost?", day, ["19.5 million pounds"], []),
        EvalQuestion("m2", "factoid", "Who is the Millbrook mayor's dog?", day, ["Rex the terrier"], []),
        EvalQuestion("m3", "unanswerable", "What did the barrier weigh?", day, [], []),
    ]
    return QuestionSet("samples", [REPO_ROOT / "samples"], questions, "test")


def test_scores_and_report(services: Services, tmp_path: Path) -> None:
    services.ingestor.ingest_paths([REPO_ROOT / "samples"])
    records = evaluate(services, question_set())
    by_id = {r["id"]: r for r in records}
    cost = by_id["m1"]
    assert cost["gold_in_corpus"] and cost["answer_rank"] == 1
    assert cost["scores"]["answer_in_prompt"] == 1.0
    assert 0 < cost["scores"]["evidence_tokens"] <= services.settings.retrieval.evidence_tokens
    assert not by_id["m2"]["gold_in_corpus"] and by_id["m2"]["scores"]["answer_recall@20"] == 0.0
    assert "answer_in_prompt" not in by_id["m3"]["scores"]

    run = {"set": "samples", "corpus_hash": "test", "git_commit": "x", "started": "now"}
    summary = write_retrieval_report(tmp_path / "a", run, records)
    assert summary["by_type"]["gold in corpus"]["answer_in_prompt"] == 1.0
    assert (tmp_path / "a" / "report.md").read_text().startswith("# Retrieval report")
    assert (tmp_path / "a" / "recall_curve.png").read_bytes()[:4] == b"\x89PNG"
    write_retrieval_report(tmp_path / "b", run, records)
    assert "questions whose answer_in_prompt flipped: 0" in compare(tmp_path / "a", tmp_path / "b")


@pytest.mark.parametrize("mc_retrieval", ["item", "question"])
def test_multiple_choice_evidence_is_what_the_runner_would_send(
    mc_retrieval: str, two_story_mc_set: Path, tmp_path: Path, embedder
) -> None:
    qset = load_question_set(str(two_story_mc_set))
    settings = Settings(data_dir=tmp_path / "data", retrieval={"k": 1}, eval={"mc_retrieval": mc_retrieval})
    services = Services(settings, embedder=embedder)
    services.ingestor.ingest_paths(qset.corpus)

    [record] = evaluate(services, qset)

    assert record["scores"]["answer_in_prompt"] == 1.0  # the question alone: the barrier story
    assert record["scores"]["mc_answer_in_prompt"] == float(mc_retrieval == "question")
    run = {"set": "two stories", "corpus_hash": "test", "git_commit": "x", "started": "now"}
    write_retrieval_report(tmp_path / "report", run, [record])
    assert "mc_answer_in_prompt" in (tmp_path / "report" / "report.md").read_text()
