"""An answer is about what the question names: the names must be in a passage it cites."""

from __future__ import annotations

from service.answer_subject import asked_topic, missing_subject, question_names

STRIKE_COST = (
    "Port strike ends with 6.5 percent pay deal harborview-herald.example The Harborview Chamber of Commerce "
    "estimated that the five-day stoppage cost the local economy about 48 million dollars in total."
)


def test_a_name_no_cited_passage_mentions_is_missing() -> None:
    question = "What did the Harborview Chamber of Commerce estimate Storm Petra cost the local economy?"
    assert question_names(question) == [["Harborview", "Chamber"], ["Commerce"], ["Storm", "Petra"]]
    assert missing_subject(question, [STRIKE_COST]) == "Storm Petra"
    assert missing_subject(question.replace("Storm Petra", "the strike"), [STRIKE_COST]) is None


def test_outlets_question_words_and_days_are_not_subjects() -> None:
    question = "Which outlet reported the lower number on Monday, the Herald or the Metro Ledger?"
    assert question_names(question) == [["Herald"], ["Metro", "Ledger"]]
    # Cited: the Herald's passage only; the Ledger is one of the outlets shown.
    assert missing_subject(question, [STRIKE_COST], outlets=["harborview-herald.example", "metro-ledger.example"]) is None
    assert missing_subject(question, [STRIKE_COST], outlets=["harborview-herald.example"]) == "Metro Ledger"


def test_a_name_is_mentioned_when_most_of_its_words_are() -> None:
    # The passage writes "Eddie Eagan" for the question's "Edward Eagan".
    passage = "Eddie Eagan won gold in boxing in 1920 and in bobsleigh in 1932."
    assert missing_subject("In which sport did American Edward Eagan win gold?", [passage]) is None
    assert missing_subject("In which sport did Edward Wallace win gold?", [passage]) == "Edward Wallace"
    assert missing_subject("Who won Super Bowl LX?", ["The Seahawks won Super Bowl 60."]) is None


def test_a_word_that_qualifies_the_answer_asked_for_is_no_subject() -> None:
    # "Which US city": a right answer from a passage that never writes "US" was refused.
    question = "Which US city dyes its river green for St. Patrick's Day?"
    assert question_names(question) == [["St", "Patrick", "Day"]]
    assert missing_subject(question, ["Chicago dyes its river green for St. Patrick's Day."]) is None
    assert question_names("Did the Herald or the Metro Ledger report it?") == [["Herald"], ["Metro", "Ledger"]]


def test_possessives_and_abbreviations_match_as_words_do() -> None:
    assert missing_subject("What did Harborview's U.S. partners pay?", ["The US partners of Harborview paid."]) is None
    assert missing_subject("Who won?", []) is None


def test_a_country_asked_about_in_another_form_is_mentioned() -> None:
    passage = "Greenspan, the economist who steered the United States' monetary policy, died at 100."
    assert missing_subject("Which influential American economist died at the age of 100?", [passage]) is None
    assert missing_subject("Which influential French economist died at the age of 100?", [passage]) == "French"


def test_the_first_word_of_a_context_sentence_is_no_subject() -> None:
    question = "Excitement is building for the 2026 World Cup. Where will the championship match take place?"
    assert question_names(question) == [["World", "Cup"]]
    # A one-sentence question that opens with its subject keeps it.
    assert question_names("Louisiana's voting map was struck down by which court?") == [["Louisiana"]]


def test_the_words_a_request_for_news_opens_with_are_no_subjects() -> None:
    # "Latest news about ...", "Any update on ...": a right answer was refused as saying nothing about "Latest".
    question = "Latest news about Lumatek's Eastmoor battery plant?"
    assert question_names(question) == [["Lumatek", "Eastmoor"]]
    passage = "Lumatek will restart two of the five production lines at its Eastmoor battery plant on Monday."
    assert missing_subject(question, [passage]) is None
    assert question_names("Any update on the Harborview Maritime Museum theft?") == [["Harborview", "Maritime", "Museum"]]
    assert question_names("Recent news on Storm Petra, please.") == [["Storm", "Petra"]]
    assert missing_subject("Any news on Storm Petra?", [passage]) == "Storm Petra"
    assert question_names("Whats the latest at Lumatek") == [["Lumatek"]]


def test_what_was_said_about_a_topic_no_cited_passage_mentions_is_missing() -> None:
    # Asked "What did the president say about tariffs?", the 1.5B gave the chamber president's
    # estimate of the strike's cost: a true sentence about something else.
    question = "What did the president say about tariffs?"
    assert asked_topic(question) == "tariffs"
    assert missing_subject(question, [STRIKE_COST]) == "tariffs"
    # One word of the topic is enough: a passage writes "the stoppage" for "the strike's cost".
    assert missing_subject("What did the chamber say about the strike's cost?", [STRIKE_COST]) is None
    # Time words are when, not what about.
    assert asked_topic("What did the mayor say about the strike deal this week?") == "strike deal"
    assert asked_topic("What did the fire chief say on Wednesday about the fire?") == "fire"
    assert asked_topic("What did the fire chief say yesterday?") is None
