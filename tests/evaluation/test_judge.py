"""The citation judge: its scoring logic on a scripted judge, and the real HTTP path to llama.cpp."""

from __future__ import annotations

import datetime as dt

import pytest

from service.domain import Chunk, Passage
from service.evaluation.judge import CitationJudge, Verdict, judged_citation_scores
from service.settings import Settings
from tests.conftest import free_port


def passage(text: str) -> Passage:
    chunk = Chunk(id="c", article_id="a", position=0, start=0, end=len(text), text=text, title="T",
                  published=dt.date(2026, 3, 2), source="s.example", url=None, content_hash="h")
    return Passage(chunk=chunk, score=1.0)


class ScriptedJudge(CitationJudge):
    """Says YES when the sentence's first word is in the passage; 'maybe' when told to."""

    def __init__(self) -> None:
        self.name = "scripted"

    def supports(self, passage: str, sentence: str) -> Verdict:
        if "maybe" in sentence:
            return Verdict(None)
        return Verdict(sentence.split()[0] in passage)


def test_judged_scores_count_pairs_sentences_and_undecided() -> None:
    passages = [passage("Ferries run daily."), passage("Trams run hourly.")]
    answer = "Ferries are daily [1]. Trams are weekly [1]. Buses maybe [2]. Ferries also [1][3]."
    scores = judged_citation_scores(answer, passages, ScriptedJudge(), "judge")
    # pairs: (1 yes), (1 no), (2 undecided: left out), (1 yes), (3: no such passage, wrong)
    assert scores == {"judge_precision": 2 / 4, "judge_recall": 2 / 4, "judge_undecided": 1.0}


def test_an_answer_without_markers_has_no_precision() -> None:
    scores = judged_citation_scores("Nothing cited here.", [passage("x")], ScriptedJudge(), "judge")
    assert scores["judge_precision"] is None and scores["judge_recall"] == 0.0


def test_no_judge_unless_configured() -> None:
    assert CitationJudge.from_settings(Settings()) is None


def test_a_judge_that_is_down_is_undecided_not_a_crash() -> None:
    settings = Settings(eval={"judge_base_url": f"http://127.0.0.1:{free_port()}/v1", "judge_timeout_s": 2})
    judge = CitationJudge.from_settings(settings)
    assert judge is not None
    assert judge.supports("The council voted 7 to 2.", "The council voted 7 to 2.").supported is None


@pytest.mark.slow
def test_real_judge_over_the_openai_client(llama_server: str) -> None:
    judge = CitationJudge.from_settings(Settings(eval={"judge_base_url": llama_server, "judge_model": "smollm2"}))
    assert judge is not None
    verdicts = [
        judge.supports("The council approved the ferry route by 7 votes to 2.",
                       "The council approved the ferry route by 7 votes to 2."),
        judge.supports("Mayor Dana Whitfield said the route opens in May.",
                       "According to Mayor Dana Whitfield, the route opens in May."),
    ]
    # A 135M judge is not a good judge; what is tested is that it is asked and its YES/NO is read.
    assert any(v.supported is not None for v in verdicts), verdicts
