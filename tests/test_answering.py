"""End to end with the real small local model and a real Chroma (plumbing and invariants), then the
refusal, degraded and misattribution paths with a scripted model, which reaches them every time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from service.answering import AskRequest
from service.citations import REFUSAL_TEXT
from service.components.llm import LLMBadOutput, LLMUnavailable
from service.domain import Answer
from service.settings import Settings
from service.streaming import ShownSentence
from service.summarizing import SummaryRequest
from service.tokens import count_tokens
from service.wiring import Services
from tests.conftest import REPO_ROOT, ScriptedChatModel


def assert_citations_are_real(services: Services, answer) -> None:
    given = {s for sentence in answer.sentences for s in sentence.citations}
    # A refusal cites nothing, though it lists the sentences that verified but do not answer.
    assert {c.n for c in answer.citations} == (set() if answer.refused else given)
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
    assert set(answer.timings) == {"retrieve_ms", "generate_ms", "verify_ms", "total_ms", "model_ms"}
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


def test_stream_yields_verified_sentences_then_the_answer(answering: Services) -> None:
    request = AskRequest("What is the tram extension?")
    *shown, final = answering.answerer.stream(request)
    assert all(isinstance(s, ShownSentence) for s in shown)
    assert isinstance(final, Answer)
    assert final.usage.completion_tokens > 0
    assert_citations_are_real(answering, final)
    # What streamed is what the answer says: its verified sentences, with the same citations.
    verified = [s for s in final.sentences if s.verified]
    assert [(s.text, [c.n for c in s.citations]) for s in shown] == [(s.text, s.citations) for s in verified]


def test_the_local_model_evaluates_only_the_new_part_of_the_prompt(answering: Services) -> None:
    # The instructions and worked example are one fixed prefix that stays in llama.cpp's cache.
    first = answering.answerer.ask(AskRequest("What is the tram extension?"))
    second = answering.answerer.ask(AskRequest("How many jobs will Helvane Foods create in Varden Bay?"))
    assert first.usage.prompt_tokens_evaluated is not None and second.usage.prompt_tokens_evaluated is not None
    assert 0 < second.usage.prompt_tokens_evaluated < second.usage.prompt_tokens - 200
    assert second.timings["model_ms"] <= second.timings["total_ms"]


# --- Scripted model: the refusal, degraded and misattribution paths, reached on purpose -------------

HELVANE = "varden-bay-herald.example"
JOBS = AskRequest(question="How many jobs will Helvane Foods create in Varden Bay?", sources=[HELVANE])


def helvane_article_id(services: Services) -> str:
    (article,) = services.store.list_articles(sources=[HELVANE])
    return article.id


def test_a_supported_answer_keeps_its_sentence_and_citation(
    scripted_services: Services, scripted_model: ScriptedChatModel
) -> None:
    scripted_model.script("Helvane Foods will create 180 permanent jobs at its seafood processing plant in Varden Bay [1].")
    answer = scripted_services.answerer.ask(JOBS)
    assert not answer.refused and not answer.degraded
    assert "180 permanent jobs" in answer.answer and answer.answer.endswith("[1]")
    (sentence,) = answer.sentences
    assert sentence.verified and sentence.citations == [1] and not sentence.corrected
    (citation,) = answer.citations
    assert citation.n == 1 and citation.article_id == helvane_article_id(scripted_services)
    assert "180 permanent jobs" in citation.quote
    assert answer.model == "scripted"
    assert answer.usage.prompt_tokens > 0 and answer.usage.completion_tokens > 0
    # The model was asked once, with the question and the article as source [1].
    (prompt,) = scripted_model.prompts
    assert JOBS.question in prompt
    assert '[1] "Helvane Foods to add 180 jobs at Varden Bay seafood plant"' in prompt
    assert_citations_are_real(scripted_services, answer)


@pytest.mark.parametrize("streamed", [False, True])
def test_a_sentence_the_token_limit_cut_off_is_left_out(
    scripted_services: Services, scripted_model: ScriptedChatModel, streamed: bool
) -> None:
    whole = "Helvane Foods will create 180 permanent jobs at its seafood processing plant in Varden Bay [1]."
    # Every word of the cut sentence is in the article; its figure was never written.
    cut = " The expansion will take the plant's workforce to about"
    scripted_services.settings.llm.max_answer_tokens = count_tokens(whole + cut)
    scripted_model.script(whole + cut, whole + cut)
    answers = [scripted_services.answerer.ask(JOBS) if not streamed else list(scripted_services.answerer.stream(JOBS))[-1]]
    # Ended by the model itself (a limit it did not reach), the same text is its answer as written.
    scripted_services.settings.llm.max_answer_tokens = 256
    answers.append(scripted_services.answerer.ask(JOBS))
    limited, unlimited = answers
    assert isinstance(limited, Answer) and not limited.refused
    assert "180 permanent jobs" in limited.answer and "workforce" not in limited.answer
    assert "workforce" in unlimited.answer


def test_one_articles_chunks_are_one_source_and_a_claim_from_any_of_them_verifies(
    tmp_path: Path, embedder, scripted_model: ScriptedChatModel
) -> None:
    # Small chunks: the Helvane article is several, and the question draws on its first and last.
    settings = Settings(data_dir=tmp_path / "data", chunking={"max_tokens": 60, "overlap_tokens": 10})
    services = Services(settings, embedder=embedder, chat_model=scripted_model)
    services.ingestor.ingest_paths([REPO_ROOT / "samples"])
    question = AskRequest("How many jobs will Helvane Foods create, and what did Aileen Mackie say?", sources=[HELVANE])
    passages, _, _ = services.answerer.retrieve(question)
    assert len({p.chunk.id for p in passages}) > 1 and len({p.chunk.article_id for p in passages}) == 1
    scripted_model.script("Helvane Foods will create 180 permanent jobs in Varden Bay [1]. Aileen Mackie said "
                          "that for a lot of families this is the difference between staying and leaving [1].")
    answer = services.answerer.ask(question)
    (prompt,) = scripted_model.prompts
    assert prompt.count('"Helvane Foods to add 180 jobs at Varden Bay seafood plant"') == 1 and "[2]" not in prompt
    assert [s.verified for s in answer.sentences] == [True, True]
    assert {c.n for c in answer.citations} == {1}
    assert_citations_are_real(services, answer)


def test_a_stored_draft_gets_the_answer_the_model_run_gave(
    scripted_services: Services, scripted_model: ScriptedChatModel
) -> None:
    # eval/reverify.py re-scores a run's drafts this way after a verification change.
    draft = ("Helvane Foods will create 180 permanent jobs at its seafood processing plant in Varden Bay [1]. "
             "Helvane Foods will also build a wind farm for 4 million pounds [1].")
    scripted_model.script(draft)
    asked = scripted_services.answerer.ask(JOBS)
    passages, date_range, as_of = scripted_services.answerer.retrieve(JOBS)
    _, numbered = scripted_services.answerer.prompt(JOBS, passages, date_range, as_of)
    replayed = scripted_services.answerer.answer_from_draft(JOBS, draft, numbered, date_range)
    assert replayed.answer == asked.answer and "180 permanent jobs" in replayed.answer
    assert [s.verified for s in replayed.sentences] == [s.verified for s in asked.sentences] == [True, False]
    assert [c.quote for c in replayed.citations] == [c.quote for c in asked.citations]
    assert len(scripted_model.prompts) == 1  # the replay asked no model


def test_an_invented_figure_is_refused_with_the_closest_passages(
    scripted_services: Services, scripted_model: ScriptedChatModel
) -> None:
    scripted_model.script("Helvane Foods will create 2,500 permanent jobs at its seafood processing plant in Varden Bay [1].")
    answer = scripted_services.answerer.ask(JOBS)
    assert answer.refused and not answer.degraded
    assert answer.answer == REFUSAL_TEXT and answer.citations == []
    assert answer.refusal_reason == "no passage supports an answer"
    assert [s.verified for s in answer.sentences] == [False]
    assert answer.closest_passages
    assert {c.article_id for c in answer.closest_passages} == {helvane_article_id(scripted_services)}
    assert "2,500" not in " ".join(c.quote for c in answer.closest_passages)


def test_a_supported_sentence_that_misses_the_question_is_refused(
    scripted_services: Services, scripted_model: ScriptedChatModel
) -> None:
    # True and cited, but "how many" gets no figure: an honest refusal, not a nearby fact.
    scripted_model.script("Helvane Foods won a supply contract with the supermarket chain Orrin & Vale [1].")
    answer = scripted_services.answerer.ask(JOBS)
    assert answer.refused and answer.answer == REFUSAL_TEXT
    assert answer.refusal_reason and "number" in answer.refusal_reason
    assert answer.closest_passages


def test_an_answer_citing_nothing_about_the_question_s_subject_is_refused(
    scripted_services: Services, scripted_model: ScriptedChatModel
) -> None:
    # The Helvane article never mentions Kestrel Shipping: its jobs figure answers nothing about it.
    scripted_model.script("Helvane Foods will create 180 permanent jobs at its seafood processing plant in Varden Bay [1].")
    elsewhere = AskRequest(question="How many jobs will Kestrel Shipping create in Varden Bay?", sources=[HELVANE])
    answer = scripted_services.answerer.ask(elsewhere)
    assert answer.refused and answer.refusal_reason and "Kestrel Shipping" in answer.refusal_reason


def test_asked_what_happened_recently_an_answer_from_a_long_older_article_is_refused(
    scripted_services: Services, scripted_model: ScriptedChatModel
) -> None:
    # The Helvane article is of 2026-11-21: "recently" a week later, but not a year later.
    claim = "Helvane Foods will create 180 permanent jobs at its seafood processing plant in Varden Bay [1]."
    question = "How many jobs did Helvane Foods recently say it will create in Varden Bay?"
    scripted_model.script(claim, claim)
    week_later = scripted_services.answerer.ask(AskRequest(question, as_of=dt.date(2026, 11, 28), sources=[HELVANE]))
    assert not week_later.refused and "180 permanent jobs" in week_later.answer
    year_later = scripted_services.answerer.ask(AskRequest(question, as_of=dt.date(2027, 12, 1), sources=[HELVANE]))
    assert year_later.refused and year_later.refusal_reason
    assert "what happened recently (the newest article it rests on is from 21 November 2026)" in year_later.refusal_reason


def test_a_question_answered_in_part_says_which_part_the_articles_do_not_answer(
    scripted_services: Services, scripted_model: ScriptedChatModel
) -> None:
    scripted_model.script("Helvane Foods will create 180 permanent jobs at its seafood processing plant in Varden Bay [1].")
    two_parts = AskRequest(
        question="How many jobs will Helvane Foods create in Varden Bay, and who designed the plant?", sources=[HELVANE])
    answer = scripted_services.answerer.ask(two_parts)
    assert not answer.refused and "180 permanent jobs" in answer.answer
    (missing,) = answer.unanswered_parts
    assert missing.startswith("Who designed the plant?")
    # Where every part is answered nothing is listed.
    scripted_model.script("Helvane Foods will create 180 permanent jobs at its seafood processing plant in Varden Bay [1].")
    assert scripted_services.answerer.ask(JOBS).unanswered_parts == []


def test_the_model_refusing_gives_a_refusal(scripted_services: Services, scripted_model: ScriptedChatModel) -> None:
    scripted_model.script("The articles do not say.")
    answer = scripted_services.answerer.ask(JOBS)
    assert answer.refused and not answer.degraded and answer.answer == REFUSAL_TEXT


@pytest.mark.parametrize(
    "failure", [LLMUnavailable("endpoint down"), LLMBadOutput("no choices"), "", "  \n "], ids=repr
)
def test_a_failed_or_empty_reply_gives_a_degraded_answer(
    scripted_services: Services, scripted_model: ScriptedChatModel, failure: str | Exception
) -> None:
    scripted_model.script(failure)
    answer = scripted_services.answerer.ask(JOBS)
    assert answer.degraded and not answer.refused
    assert answer.citations and {c.article_id for c in answer.citations} == {helvane_article_id(scripted_services)}
    assert all(f"[{c.n}]" in answer.answer and c.quote in answer.answer for c in answer.citations)
    assert all(s.verified for s in answer.sentences)
    assert answer.usage.completion_tokens == 0
    assert len(scripted_model.requests) == 1
    assert_citations_are_real(scripted_services, answer)


def test_a_failure_raises_when_degrading_is_off(tmp_path: Path, embedder) -> None:
    model = ScriptedChatModel(LLMUnavailable("endpoint down"))
    settings = Settings(data_dir=tmp_path / "data", llm={"degrade_on_failure": False})
    services = Services(settings, embedder=embedder, chat_model=model)
    services.ingestor.ingest_paths([REPO_ROOT / "samples"])
    with pytest.raises(LLMUnavailable):
        services.answerer.ask(JOBS)


def test_a_figure_credited_to_the_wrong_speaker_is_dropped(
    scripted_services: Services, scripted_model: ScriptedChatModel
) -> None:
    # The passage gives the 27 million pounds to the company; Aileen Mackie speaks of families.
    scripted_model.script(
        "Helvane Foods will create 180 permanent jobs at its seafood processing plant in Varden Bay [1]. "
        "According to Aileen Mackie, Helvane Foods will invest 27 million pounds in the site [1]."
    )
    answer = scripted_services.answerer.ask(JOBS)
    assert not answer.refused
    kept, dropped = answer.sentences
    assert kept.verified and "180" in kept.text
    assert not dropped.verified and dropped.citations == [] and "Mackie" in dropped.text
    assert "Mackie" not in answer.answer and "27 million" not in answer.answer


def test_a_figure_credited_to_its_speaker_is_kept(
    scripted_services: Services, scripted_model: ScriptedChatModel
) -> None:
    # The counterpart of the test above: the same kind of sentence, with the right speaker, stays.
    scripted_model.script(
        "According to Tomasz Lindqvist, the plant would process around 38,000 tonnes of fish a year [1]."
    )
    answer = scripted_services.answerer.ask(
        AskRequest(question="How much fish will the Helvane plant in Varden Bay process?", sources=[HELVANE])
    )
    assert not answer.refused
    (sentence,) = answer.sentences
    assert sentence.verified and "38,000 tonnes" in answer.answer


def test_stream_yields_the_verified_sentence_then_the_answer(
    scripted_services: Services, scripted_model: ScriptedChatModel
) -> None:
    reply = "Helvane Foods will create 180 permanent jobs at its seafood processing plant in Varden Bay [1]."
    scripted_model.script(reply)
    *shown, final = scripted_services.answerer.stream(JOBS)
    assert [s.text for s in shown] == [s.text for s in final.sentences] and len(shown) == 1
    assert isinstance(final, Answer)
    assert not final.refused and "180 permanent jobs" in final.answer
    assert [c.article_id for c in final.citations] == [helvane_article_id(scripted_services)]


def test_streamed_and_asked_answers_are_the_same_answer_cut_where_it_is_complete(
    scripted_services: Services, scripted_model: ScriptedChatModel
) -> None:
    jobs = "Helvane Foods will create 180 permanent jobs at its seafood processing plant in Varden Bay [1]."
    reply = f"{jobs} The articles do not say. {jobs}"
    scripted_model.script(reply, reply)
    asked = scripted_services.answerer.ask(JOBS)
    *shown, streamed = scripted_services.answerer.stream(JOBS)
    assert isinstance(streamed, Answer)
    assert streamed.answer == asked.answer and streamed.sentences == asked.sentences
    assert streamed.citations == asked.citations and len(shown) == 1 == len(streamed.sentences)
    assert not streamed.refused and "180 permanent jobs" in streamed.answer


def test_a_credit_that_is_only_a_source_number_credits_the_outlet_asked_or_streamed(
    scripted_services: Services, scripted_model: ScriptedChatModel
) -> None:
    reply = "According to [1], Helvane Foods will create 180 permanent jobs at its seafood processing plant in Varden Bay."
    scripted_model.script(reply, reply)
    asked = scripted_services.answerer.ask(JOBS)
    *shown, streamed = scripted_services.answerer.stream(JOBS)
    assert isinstance(streamed, Answer)
    assert not asked.refused and streamed.answer == asked.answer
    assert asked.answer.startswith("According to ") and not asked.answer.startswith("According to,")
    assert asked.sentences[0].citations == [1] and "180 permanent jobs" in asked.answer
    assert [s.text for s in shown] == [s.text for s in streamed.sentences]


@pytest.mark.parametrize("failure", ["", LLMUnavailable("endpoint down")], ids=repr)
def test_stream_degrades_on_a_failed_or_empty_reply_as_ask_does(
    scripted_services: Services, scripted_model: ScriptedChatModel, failure: str | Exception
) -> None:
    scripted_model.script(failure, failure)
    asked = scripted_services.answerer.ask(JOBS)
    *_, streamed = scripted_services.answerer.stream(JOBS)
    assert isinstance(streamed, Answer)
    assert asked.degraded and streamed.degraded and not streamed.refused
    assert streamed.answer == asked.answer
    assert [c.quote for c in streamed.citations] == [c.quote for c in asked.citations]
