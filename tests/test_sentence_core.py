from __future__ import annotations

import pytest

from service.sentence_core import series_clauses, shorter_readings, without_asked_figures, without_asked_span


def test_trailing_detail_is_cut_back_one_modifier_at_a_time() -> None:
    assert shorter_readings("The council approved the ferry route at City Hall with a large majority.") == [
        "The council approved the ferry route at City Hall.",
        "The council approved the ferry route.",
    ]


def test_a_participle_or_a_bracket_opens_a_trailing_modifier() -> None:
    readings = shorter_readings("Luge is the fastest sport at the Games, reaching speeds of up to 90 mph (145 km/h).")
    assert readings[:2] == ["Luge is the fastest sport at the Games, reaching speeds of up to 90 mph.",
                            "Luge is the fastest sport at the Games."]


@pytest.mark.parametrize("sentence", [
    "He said the vaccine is safe, but only for adults.",
    "The plant will reopen in May, unless the strike continues.",
    "The mayor did resign, though not over the budget.",
    "The company sold 400 cars in March, according to the Herald.",
    "Prices rose sharply in March, officials said.",
    "The suspect was arrested, police reportedly confirmed.",
    "19 container ships were waiting off Harborview, on Monday.",
    "The barrier was completed, after the flood of 2024.",
    "The plant closed, in 2019.",
])
def test_a_tail_that_qualifies_negates_or_credits_the_claim_is_never_cut(sentence: str) -> None:
    head, tail = sentence.rstrip(".").split(", ", 1)
    readings = shorter_readings(sentence)
    assert f"{head}." not in readings and all(tail in reading for reading in readings)


def test_a_list_is_kept_whole_and_nothing_after_a_colon_is_cut() -> None:
    assert shorter_readings("The United States has hosted the Winter Games four times: 1960, 1980, 2002, and 2034.") == []
    assert shorter_readings("The panel named Ann, Bo, and Cy at the ceremony.") == ["The panel named Ann, Bo, and Cy."]


def test_no_reading_ends_inside_a_phrase_a_quote_or_with_too_little_left() -> None:
    assert shorter_readings("The Games were held in Beijing with 12 venues.") == ["The Games were held in Beijing."]
    assert shorter_readings("The Games were held in Beijing in 2022.") == []  # when, not detail
    assert shorter_readings('She called the plan "a disaster for the town" in an interview.') == [
        'She called the plan "a disaster for the town".']
    assert shorter_readings("Voting ended on Monday.") == []


def test_no_reading_ends_on_a_verb_loses_its_doer_or_keeps_only_a_relative_clause() -> None:
    # Each was a verified, shown answer once its tail was cut (public set, a second reading at 150 tokens).
    assert shorter_readings('Becky G announced she is training to be a "death doula".') == []
    assert shorter_readings("The United States was recently rocked by two train disasters.") == []
    assert shorter_readings("Most of the passengers who arrived in the US were quarantined in Baltimore.") == [
        "Most of the passengers who arrived in the US were quarantined."]
    # A "by" that does not name a passive verb's doer is trailing detail like any other.
    assert shorter_readings("Ticket prices rose sharply by the end of the season.") == ["Ticket prices rose sharply."]


def test_the_credit_opening_a_sentence_is_never_all_that_is_left() -> None:
    assert shorter_readings("According to Mara Olsen, the route will cost 12 million dollars.") == []
    assert shorter_readings("According to the Herald, the council approved the ferry route with 7 votes.") == [
        "According to the Herald, the council approved the ferry route."]


def test_a_sentence_running_several_claims_together_splits_into_its_clauses() -> None:
    assert series_clauses("Storm Petra left 18,000 homes without power, the council backed a ferry route, and "
                          "the mayor resigned.") == [
        "Storm Petra left 18,000 homes without power.", "The council backed a ferry route.", "The mayor resigned."]
    # Two parts are one claim, judged whole; a part that is no clause leaves the sentence whole.
    assert series_clauses("Prices rose 4 percent, and wages rose 3 percent.") == []
    assert series_clauses("Nadia Petrov-Lind, the new supervisor, said the fund would open in May.") == []
    assert series_clauses("The festival will screen 84 films, run until March 29, and open with a drama.") == []


def test_only_figure_modifiers_the_question_holds_are_cut() -> None:
    question = "Which country restored internet after an 88-day blackout and a 2,000-mile cable repair?"
    assert without_asked_figures("Iran restored it after an 88-day blackout.", question) == "Iran restored it after a blackout."
    assert without_asked_figures("Iran restored it after a 90-day blackout.", question) is None
    assert without_asked_figures("It ran a 2,000-mile cable.", question) == "It ran a cable."
    assert without_asked_figures("It was a 2,000-mile undersea repair.", question) == "It was an undersea repair."


def test_only_a_recent_span_the_question_holds_is_cut() -> None:
    question = "Which US agency said this week it could run out of cash within a year?"
    assert without_asked_span("The US Postal Service said this week it could run out of cash.", question) == (
        "The US Postal Service said it could run out of cash.")
    assert without_asked_span("This week, the US Postal Service said it could run out of cash.", question) == (
        "The US Postal Service said it could run out of cash.")
    assert without_asked_span("Tyler Reddick recently won the race.", "Who recently won the race?") == (
        "Tyler Reddick won the race.")
    # Not in the question, or a named day (which may be of another year): nothing is cut.
    assert without_asked_span("The US Postal Service said this week it could run out of cash.",
                              "Which agency could run out of cash?") is None
    assert without_asked_span("The moon turned red on Tuesday.", "Where did the moon turn red on Tuesday?") is None
