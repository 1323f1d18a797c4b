"""The eval runner end to end on a 5-question slice of the fixed set, with the small local model; its
multiple-choice pick with a scripted one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.evaluation import metrics
from service.evaluation.questions import load_question_set
from service.evaluation.report import compare, write_report
from service.evaluation.reverify import reverify
from service.evaluation.runner import EvalRunner
from service.settings import Settings
from service.wiring import Services
from tests.conftest import ScriptedChatModel


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
    # Multiple-choice scores are a second model call's, which verification does not touch: kept.
    with_choice = [records[0] | {"scores": records[0]["scores"] | {"mc_correct": 1.0, "mc_answer_in_prompt": 1.0}}]
    kept_scores = reverify(runner, qset, with_choice)[0][0]["scores"]
    assert (kept_scores["mc_correct"], kept_scores["mc_answer_in_prompt"]) == (1.0, 1.0)
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


def _multiple_choice_set(folder: Path) -> Path:
    folder.mkdir()
    article = {"title": "Millbrook barrier opens", "published_at": "2026-03-02", "url": "https://news.example/barrier",
               "text": "The Millbrook Falls flood barrier opened on Monday at a cost of 19.5 million pounds."}
    (folder / "articles.jsonl").write_text(json.dumps(article) + "\n")
    questions = [
        {"id": "mc1", "week": "20260306", "question": "Which town opened a flood barrier this week?",
         "question_date": "2026-03-06", "choices": ["York", "Millbrook Falls", "Leeds", "Hull"],
         "answer": "Millbrook Falls", "answer_index": 1, "candidate_urls": ["https://news.example/barrier"]},
        {"id": "mc2", "week": "20260306", "question": "What did the Millbrook barrier cost?",
         "question_date": "2026-03-06", "choices": ["2 million", "19.5 million pounds", "40 million", "1 billion"],
         "answer": "19.5 million pounds", "answer_index": 1, "candidate_urls": ["https://news.example/barrier"]},
    ]
    (folder / "questions.jsonl").write_text("".join(json.dumps(q) + "\n" for q in questions))
    return folder


def test_an_option_is_asked_for_as_a_letter_only_when_the_answer_names_none(
    tmp_path: Path, embedder, scripted_model: ScriptedChatModel
) -> None:
    qset = load_question_set(str(_multiple_choice_set(tmp_path / "set")))
    services = Services(Settings(data_dir=tmp_path / "data"), embedder=embedder, chat_model=scripted_model)
    services.ingestor.ingest_paths(qset.corpus)
    scripted_model.script(
        "The articles do not say.",  # mc1, free-form
        "According to the article, a barrier opened [1].",  # mc1, multiple choice: names no option
        "B",  # mc1, the letter asked for
        "The articles do not say.",  # mc2, free-form
        "According to the article, it cost 19.5 million pounds [1].",  # mc2: names option B itself
    )
    first, second = EvalRunner(services, qset, tmp_path / "run").run()

    assert first["mc_letter"] == "B" and first["scores"]["mc_correct"] == 1.0
    assert first["scores"]["mc_named"] == 0.0  # picked only when asked for a letter
    letter_request = scripted_model.requests[2]
    # The letter is asked in the same conversation: after the answer the model gave, with the options.
    assert letter_request.messages[-2] == {"role": "assistant", "content": first["mc_raw"]}
    assert "A) York B) Millbrook Falls C) Leeds D) Hull" in letter_request.messages[-1]["content"]
    assert letter_request.messages[0]["role"] == "system"
    assert second["mc_letter"] is None and second["scores"]["mc_correct"] == second["scores"]["mc_named"] == 1.0
    assert len(scripted_model.requests) == 5  # no letter was asked for the second


LETTER_REPLIES = [("B", 1), (" (c).", 2), ("D) Hull", 3), ("The answer is B.", 1), ("E", None), ("None", None),
                  ("According to the articles, Leeds.", None)]


@pytest.mark.parametrize(("reply", "picked"), LETTER_REPLIES)
def test_a_letter_reply_picks_its_option(reply: str, picked: int | None) -> None:
    assert metrics.picked_letter(reply, options=4) == picked


@pytest.mark.parametrize("mc_retrieval", ["item", "question"])
def test_multiple_choice_searches_with_its_options_when_set_to(
    mc_retrieval: str, two_story_mc_set: Path, tmp_path: Path, embedder, scripted_model: ScriptedChatModel
) -> None:
    qset = load_question_set(str(two_story_mc_set))
    settings = Settings(data_dir=tmp_path / "data", retrieval={"k": 1}, eval={"mc_retrieval": mc_retrieval})
    services = Services(settings, embedder=embedder, chat_model=scripted_model)
    services.ingestor.ingest_paths(qset.corpus)
    scripted_model.script("The articles do not say.", "According to the article, Millbrook Falls [1].")

    [record] = EvalRunner(services, qset, tmp_path / "run").run()

    free_form, multiple_choice = scripted_model.prompts
    assert "Millbrook barrier opens" in free_form  # the question alone finds the barrier story ("opened")
    # The whole item names the depot three times: searched with it, the one passage read is the depot's.
    expected = "Fire closes Hartwell tram depot" if mc_retrieval == "item" else "Millbrook barrier opens"
    assert expected in multiple_choice and "Options: A) Millbrook Falls" in multiple_choice
    assert record["scores"]["mc_correct"] == 1.0
    assert record["scores"]["mc_answer_in_prompt"] == float(mc_retrieval == "question")
