"""End to end with the real small local model and a real Chroma: plumbing and invariants."""

from __future__ import annotations

import datetime as dt

from service.answering import AskRequest
from service.citations import REFUSAL_TEXT
from service.summarizing import SummaryRequest
from service.wiring import Services


def assert_citations_are_real(services: Services, answer) -> None:
    given = {s for sentence in answer.sentences for s in sentence.citations}
    assert {c.n for c in answer.citations} == given
    for citation in answer.citations:
        article = services.store.get_article(citation.article_id)
        assert article is not None
        assert citation.quote and citation.quote in article.text
    for sentence in answer.sentences:
        assert sentence.verified == bool(sentence.citations)


def test_ask_returns_a_verified_answer_or_an_honest_refusal(answering: Services) -> None:
    answer = answering.answerer.ask(AskRequest("How many jobs will Helvane Foods create in Varden Bay?"))
    assert answer.model == "smollm2-135m"
    assert answer.usage.prompt_tokens > 0 and answer.usage.completion_tokens > 0
    assert set(answer.timings) == {"retrieve_ms", "generate_ms", "verify_ms", "total_ms"}
    assert_citations_are_real(answering, answer)
    if answer.refused:
        assert answer.answer == REFUSAL_TEXT and answer.closest_passages
    else:
        assert all(f"[{c.n}]" in answer.answer for c in answer.citations)


def test_time_words_set_the_date_range(answering: Services) -> None:
    answer = answering.answerer.ask(AskRequest("What happened yesterday?", as_of=dt.date(2026, 11, 24)))
    day = dt.date(2026, 11, 23)
    assert (answer.date_range.start, answer.date_range.end, answer.date_range.phrase) == (day, day, "yesterday")
    assert all(c.published_at == day for c in [*answer.citations, *answer.closest_passages])


def test_empty_store_refuses_without_calling_the_model(settings, embedder, local_model) -> None:
    services = Services(settings, embedder=embedder, chat_model=local_model)
    answer = services.answerer.ask(AskRequest("Who won the election?"))
    assert answer.refused and answer.answer == REFUSAL_TEXT
    assert answer.usage.completion_tokens == 0


def test_summarize_one_article(answering: Services) -> None:
    article = answering.store.list_articles()[0]
    summary = answering.summarizer.summarize(SummaryRequest(article_id=article.id, max_sentences=2))
    assert len(summary.sentences) <= 2
    assert_citations_are_real(answering, summary)
    assert {c.article_id for c in summary.citations} <= {article.id}


def test_stream_yields_tokens_then_the_answer(answering: Services) -> None:
    parts = list(answering.answerer.stream(AskRequest("What is the tram extension?")))
    *tokens, final = parts
    assert tokens and all(isinstance(t, str) for t in tokens)
    assert final.usage.completion_tokens > 0
    assert_citations_are_real(answering, final)
