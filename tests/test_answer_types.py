"""The answer-shape check that turns a true but irrelevant answer into a refusal."""

from __future__ import annotations

import pytest

from service.answer_types import expected_answer_type, gives_expected_answer


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How much did Kerrigan Marine bid for the ferry contract?", "number"),
        ("How many dock workers went on strike?", "number"),
        ("What is the population of Gull Island?", "number"),
        ("What was the score of the Gulls' match?", "number"),
        ("Who directed the closing film?", "name"),
        ("What are the names of the two men arrested?", "name"),
        ("When will the ferry route open?", "time"),
        ("What did the mayor say about the ferry?", None),
        ("Summarize the strike coverage.", None),
        ("Why did the mayor resign?", None),
    ],
)
def test_expected_answer_type(question: str, kind: str | None) -> None:
    assert expected_answer_type(question) == kind


@pytest.mark.parametrize(
    ("question", "answer", "gives"),
    [
        # A nearby true fact that does not answer: refused.
        ("How much did Kerrigan Marine bid?", "According to metro-ledger.example, Kerrigan Marine declined to comment on Monday. [4]", False),
        ("What are the names of the two men arrested over the Marrow theft?",
         "According to bayside-post.example, the two men arrested over the Marrow theft are aged 34 and 41. [1]", False),
        ("What is the name of the Lumatek worker who was injured?",
         "According to St. Brigid's Hospital, the name of the Lumatek worker who was injured is a 52-year-old technician. [1]", False),
        ("When will the route open?", "According to the council, the route is popular. [2]", False),
        # Real answers pass, in digits, words, names and codes.
        ("How much is the ferry expansion expected to cost?", "According to the Herald, it will cost 46 million dollars. [2]", True),
        ("How many ferries will run?", "According to the council, two more ferries will run. [1]", True),
        ("Who directed the closing film?", "According to the festival, Bruno Castellanos directed it. [1]", True),
        ("What is the name of the virus strain driving flu activity?",
         "According to usatoday.com, the strain is known as subclade K, a variation of H3N2. [2]", True),
        ("When will the route open?", "According to the council, the route opens in spring 2028. [2]", True),
        ("What did the mayor say?", "According to the mayor, nothing changes. [1]", True),
    ],
)
def test_gives_expected_answer(question: str, answer: str, gives: bool) -> None:
    assert gives_expected_answer(question, answer) is gives


@pytest.mark.parametrize(
    ("question", "answer", "gives"),
    [
        ("How many floors does the Castle Tower have?", "The tower opened in 1998. [1]", False),
        ("How many floors does the Castle Tower have?", "It was finished on March 4, 2021. [1]", False),
        ("How many floors does the Castle Tower have?", "The tower has 40 floors. [1]", True),
        ("How many floors does the Castle Tower have?", "It has forty floors. [1]", True),
        ("How many homes were built in 2024?", "In 2024, 2,026 homes were built. [1]", True),
        ("How much did the Millbrook barrier cost?", "The project employed 300 workers. [1]", False),
        ("How much did the Millbrook barrier cost?", "It cost 19.5 million pounds. [1]", True),
        ("How much did the Millbrook barrier cost?", "It cost £19.5m. [1]", True),
        ("What did the Millbrook flood barrier cost?", "The river rose 30 centimetres. [1]", False),
        ("How much did the Millbrook barrier cost?", "It cost 19.5 million. [1]", True),
    ],
)
def test_the_number_asked_for_is_a_quantity_of_the_kind_asked(question: str, answer: str, gives: bool) -> None:
    assert gives_expected_answer(question, answer) is gives


def test_a_percentage_answers_how_much_a_tax_rises_under_a_budget() -> None:
    # Fixed set q014: the money form ("budget") must not refuse a rise given in percent.
    question = "By how much will property taxes rise under Harborview's 2026-27 budget?"
    assert gives_expected_answer(question, "According to the budget, property taxes will rise by 2.9 percent. [1]")


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        # Fixed set q098 (unanswerable): a rise in percent is not the closing price asked for.
        ("At what price did Lumatek shares close on March 6?",
         "According to metro-ledger.example, Lumatek shares rose 6 percent in early trading on March 6. [1]", False),
        ("At what price did Lumatek shares close on March 6?", "They closed at $41.20 a share. [1]", True),
        ("What did the flood barrier cost?", "It cost 5 percent more than planned. [1]", False),
        ("How much did petrol prices fall this month?", "Petrol prices fell 4 percent. [1]", True),
    ],
)
def test_a_percentage_answers_a_change_but_not_a_price(question: str, answer: str, expected: bool) -> None:
    assert gives_expected_answer(question, answer) is expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("According to metro-ledger.example, Lumatek plans to hire 300 more workers this year. [1]", False),
        ("The first session lasted nine hours. [1]", True),
        ("The pause lasts until March 9. [2]", True),
        ("It will last 6-8 weeks. [1]", True),
    ],
)
def test_how_long_is_answered_by_a_stretch_of_time_not_any_number(answer: str, expected: bool) -> None:
    assert gives_expected_answer("How long will the pause on hiring last?", answer) is expected


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # Asked as a new user would: "go up" asks how much something moved, which a percentage gives.
        ("How much will property taxes go up", "Property taxes will rise by 2.9 percent.", True),
        ("How many workers walked out", "About 12 percent of workers walked out.", False),
    ],
)
def test_a_count_question_asking_for_a_change_takes_a_percentage(question: str, sentence: str, expected: bool) -> None:
    from service.answer_types import answer_kind, holds_answer

    kind = answer_kind(question)
    assert kind is not None and holds_answer(sentence, kind, question) is expected


@pytest.mark.parametrize(
    "question",
    ["What does Castellan say about the 6 percent offer?", "What did the mayor say about the 46 million dollar cost?"],
)
def test_a_question_for_someones_words_asks_for_no_figure(question: str) -> None:
    # Asked as a new user would: the right answer ("the offer was fair and affordable") was refused
    # for giving no percentage.
    from service.answer_types import answer_kind

    assert expected_answer_type(question) is None and answer_kind(question) is None
    assert gives_expected_answer(question, "According to Castellan, the offer was fair and affordable. [1]")
