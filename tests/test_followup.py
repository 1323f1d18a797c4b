from __future__ import annotations

import pytest

from service.followup import (
    MAX_CARRIED_TERMS,
    is_follow_up,
    key_terms,
    resolve_conversation,
    standalone_query,
)

FIRST = "What did Ukraine say about the grain deal?"


@pytest.mark.parametrize(
    "question",
    [
        "and what did Russia say?",
        "And, Russia?",
        "But why?",
        "What about Russia?",
        "how about the mayor?",
        "Why?",
        "Who said that?",
        "How much did it cost?",
        "What did he say about the vote?",
    ],
)
def test_follow_ups_are_recognised(question: str) -> None:
    assert is_follow_up(question)


@pytest.mark.parametrize(
    "question",
    [
        "What did the Millbrook council decide about the flood barrier?",
        "Who is opening the Northgate tram extension next week?",
        "How many jobs will the Varden Bay plant create?",
        "Is there a strike at the Kestrel Point hospital?",
    ],
)
def test_standalone_questions_are_left_alone(question: str) -> None:
    assert not is_follow_up(question)
    assert standalone_query(question, FIRST) == question


def test_follow_up_gets_the_previous_topic_and_loses_its_conjunction() -> None:
    assert standalone_query("and what did Russia say?", FIRST) == "What did Russia say? (Ukraine grain deal)"
    assert standalone_query("What about Russia?", FIRST) == "What about Russia? (Ukraine grain deal)"


def test_terms_the_follow_up_repeats_are_not_carried() -> None:
    assert key_terms(FIRST, exclude="And the grain price?") == ["Ukraine", "deal"]


def test_time_words_of_the_previous_question_carry_over() -> None:
    # The time range is resolved from the rewritten query, so "yesterday" must survive.
    assert "yesterday" in standalone_query("and the jobs?", "What happened in Varden Bay yesterday?")


def test_carried_terms_are_capped() -> None:
    long_question = "Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda?"
    assert len(key_terms(long_question)) == MAX_CARRIED_TERMS


def test_first_question_and_no_terms_stay_as_they_are() -> None:
    assert standalone_query("  Why?  ", None) == "Why?"
    assert standalone_query("Why?", "What is it?") == "Why?"


def test_a_chain_of_follow_ups_keeps_the_first_topic() -> None:
    query = resolve_conversation([FIRST, "and Russia?", "and China?"])
    assert query.startswith("China?")
    assert all(term in query for term in ("Russia", "Ukraine", "grain", "deal"))


def test_a_new_topic_resets_the_chain() -> None:
    question = "Who is opening the Northgate tram extension next week?"
    assert resolve_conversation([FIRST, "and Russia?", question]) == question
    assert resolve_conversation([]) == ""


@pytest.mark.parametrize(
    "question",
    ["Did the council say that the barrier would cost more?", "What happened this week in Varden Bay?"],
)
def test_that_this_and_there_are_grammar_not_back_references(question: str) -> None:
    assert not is_follow_up(question)
