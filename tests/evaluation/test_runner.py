"""The eval runner end to end on a 5-question slice of the fixed set, with the small local model."""

from __future__ import annotations

import json
from pathlib import Path

from service.evaluation.questions import load_question_set
from service.evaluation.report import compare, write_report
from service.evaluation.reverify import reverify
from service.evaluation.runner import EvalRunner
from service.wiring import Services


def test_fixed_slice_runs_resumes_reports_and_compares(settings, embedder, local_model, tmp_path: Path) -> None:
    qset = load_question_set("fixed")
    assert len(qset.questions) >= 90
    assert {q.type for q in qset.questions} >= {"factoid", "attribution", "temporal", "comparison", "summary",
                                                 "unanswerable"}
    services = Services(settings, embedder=embedder, chat_model=local_model)
    report = services.ingestor.ingest_paths(qset.corpus)
    assert not report.failed
    assert all(set(q.supporting_ids) <= set(report.article_ids) for q in qset.questions)

    out = tmp_path / "run"
    runner = EvalRunner(services, qset, out, oracle=True)
    first = runner.run(limit=3)
    assert [r["id"] for r in first] == [q.id for q in qset.questions[:3]]
    records = runner.run(limit=5)  # resumes: only two more are asked
    assert len((out / "results.jsonl").read_text().splitlines()) == 5
    assert records[:3] == first
    for r in records:
        assert r["scores"]["recall@10"] is None or 0.0 <= r["scores"]["recall@10"] <= 1.0
        assert "oracle" in r and set(r["timings"]) >= {"retrieve_ms", "generate_ms"}
        answerable = not r["unanswerable"] and r["gold"]
        if answerable:
            assert r["gold_in_corpus"] is True  # the first fixed questions' answers are in their articles
        # Answer precision counts only answers given: a refusal is no wrong answer.
        assert (r["scores"]["answered_contained"] is None) == (r["refused"] or not answerable)

    # The stored drafts, re-verified without the model, give the run's own answers back.
    replayed, moved = reverify(runner, qset, records)
    assert moved == [] and all(r["prompt_sha1"] for r in records)
    assert [(r["answer"], r["refused"], r["scores"]["contained"]) for r in replayed] == \
        [(r["answer"], r["refused"], r["scores"]["contained"]) for r in records]
    moved_prompt = [records[0] | {"prompt_sha1": "0" * 16, "answer": "kept as it was"}]
    assert reverify(runner, qset, moved_prompt) == (moved_prompt, [records[0]["id"]])
    # Articles ranked below the prompt's do not move a question whose prompt is the same...
    tail_moved = [records[0] | {"retrieved_ids": [*records[0]["retrieved_ids"][:-1], "another-article"]}]
    assert reverify(runner, qset, tail_moved)[1] == []
    # ...unless the run recorded no prompt to compare with.
    unknown_prompt = [{k: v for k, v in tail_moved[0].items() if k != "prompt_sha1"}]
    assert reverify(runner, qset, unknown_prompt)[1] == [records[0]["id"]]

    summary = write_report(out, records)
    assert summary["overall"]["questions"] == 5
    report_md = (out / "report.md").read_text()
    assert "## Retrieval" in report_md and "accuracy.svg" in report_md
    assert (out / "accuracy.svg").read_text().startswith("<svg")
    run = json.loads((out / "report.json").read_text())["run"]
    assert run["corpus_hash"] == qset.corpus_hash and run["model"] and run["git_commit"]
    assert "api_key" not in json.dumps(run)

    other = tmp_path / "other"
    other.mkdir()
    data = json.loads((out / "report.json").read_text())
    data["questions"][0]["scores"]["contained"] = 1.0 - (data["questions"][0]["scores"]["contained"] or 0.0)
    (other / "report.json").write_text(json.dumps(data))
    assert "flipped: 1" in compare(out, other)
