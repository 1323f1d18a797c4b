"""Summaries with a scripted model: by article id, by query, unsupported sentences dropped, unknown ids.

The end-to-end summary with the real small model is in test_answering.py; here the replies are
chosen so that each path (kept, dropped, refused, not found) is reached every time.
"""

from __future__ import annotations

import pytest

from service.citations import REFUSAL_TEXT
from service.components.llm import LLMUnavailable
from service.summarizing import NotFound, SummaryRequest
from service.wiring import Services
from tests.conftest import ScriptedChatModel

HELVANE = "varden-bay-herald.example"
JOBS = "Helvane Foods will create 180 permanent jobs at its seafood processing plant in Varden Bay [1]."
INVESTMENT = "The company said it would invest 27 million pounds in the site over the next eighteen months [1]."
INVENTED = "Helvane Foods will also build a wind farm beside the Varden Bay plant for 4 million pounds [1]."


def helvane_id(services: Services) -> str:
    (article,) = services.store.list_articles(sources=[HELVANE])
    return article.id


def test_summary_of_one_article_cites_it(scripted_services: Services, scripted_model: ScriptedChatModel) -> None:
    article_id = helvane_id(scripted_services)
    scripted_model.script(f"{JOBS} {INVESTMENT}")
    summary = scripted_services.summarizer.summarize(SummaryRequest(article_id=article_id, max_sentences=2))
    assert not summary.refused
    assert [s.citations for s in summary.sentences] == [[1], [1]]
    assert all(s.verified for s in summary.sentences)
    assert "180 permanent jobs" in summary.answer and "27 million pounds" in summary.answer
    (citation,) = summary.citations
    assert citation.article_id == article_id
    article = scripted_services.store.get_article(article_id)
    assert article is not None and citation.quote in article.text
    assert summary.model == "scripted" and summary.usage.completion_tokens > 0
    # One call, asked for at most two sentences of that article and nothing else.
    (prompt,) = scripted_model.prompts
    assert "Helvane Foods to add 180 jobs" in prompt and "Northgate" not in prompt
    assert "at most 2 sentences" in scripted_model.requests[0].messages[0]["content"]


def test_unsupported_sentences_are_dropped(scripted_services: Services, scripted_model: ScriptedChatModel) -> None:
    scripted_model.script(f"{JOBS} {INVENTED}")
    summary = scripted_services.summarizer.summarize(SummaryRequest(article_id=helvane_id(scripted_services)))
    assert not summary.refused
    assert len(summary.sentences) == 1 and "180 permanent jobs" in summary.sentences[0].text
    assert "wind farm" not in summary.answer and "4 million" not in summary.answer


def test_a_summary_with_nothing_supported_is_a_refusal(
    scripted_services: Services, scripted_model: ScriptedChatModel
) -> None:
    scripted_model.script(INVENTED)
    summary = scripted_services.summarizer.summarize(SummaryRequest(article_id=helvane_id(scripted_services)))
    assert summary.refused
    assert summary.answer == REFUSAL_TEXT and summary.citations == [] and summary.sentences == []


def test_max_sentences_caps_the_summary(scripted_services: Services, scripted_model: ScriptedChatModel) -> None:
    scripted_model.script(f"{JOBS} {INVESTMENT}")
    summary = scripted_services.summarizer.summarize(
        SummaryRequest(article_id=helvane_id(scripted_services), max_sentences=1)
    )
    assert len(summary.sentences) == 1 and "27 million" not in summary.answer


def test_summary_of_a_query_reads_only_the_matching_articles(
    scripted_services: Services, scripted_model: ScriptedChatModel
) -> None:
    scripted_model.script(JOBS)
    summary = scripted_services.summarizer.summarize(
        SummaryRequest(query="Helvane Foods jobs in Varden Bay", sources=[HELVANE])
    )
    assert not summary.refused and "180 permanent jobs" in summary.answer
    assert {c.article_id for c in summary.citations} == {helvane_id(scripted_services)}
    (prompt,) = scripted_model.prompts
    assert "focusing on: Helvane Foods jobs in Varden Bay" in prompt


def test_an_unknown_article_id_raises_not_found_without_asking_the_model(
    scripted_services: Services, scripted_model: ScriptedChatModel
) -> None:
    with pytest.raises(NotFound, match="no-such-article"):
        scripted_services.summarizer.summarize(SummaryRequest(article_id="no-such-article"))
    assert scripted_model.requests == []


def test_a_model_failure_reaches_the_caller(scripted_services: Services, scripted_model: ScriptedChatModel) -> None:
    # Summaries have no degraded form: the API turns this into a 503.
    scripted_model.script(LLMUnavailable("endpoint down"))
    with pytest.raises(LLMUnavailable):
        scripted_services.summarizer.summarize(SummaryRequest(article_id=helvane_id(scripted_services)))
