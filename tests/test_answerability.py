"""The answerability step: do the verified sentences answer the question that was asked?

Cases are the hard set's kinds (eval/questions_hard.jsonl): the neighbouring fact about the same
subject, another period, someone else's claim, a number of another kind, and two-part questions.
"""

from __future__ import annotations

import pytest

from service.answer_judge import ModelJudge
from service.answerability import assess, focus_gap, question_parts, reason_text, unanswered_parts
from service.citations import Verification, VerifiedSentence
from service.components.llm import LLMUnavailable
from service.prompting import load_prompt
from service.settings import Settings
from tests.conftest import ScriptedChatModel

WING = "St. Brigid's Hospital unveiled its new 120-bed Harbourlight Wing on Monday."
RATE = "The coastal region's unemployment rate was 4.8 percent in February, down from 5.1 percent in January."
CHAMBER = "According to Lydia Marchetti, the strike is costing the local economy 11 million dollars a day."


@pytest.mark.parametrize(
    ("question", "kept", "missing"),
    [
        ("How many floors does St. Brigid's Harbourlight Wing have?", [WING], "the number of floors"),
        ("Who designed St. Brigid's Harbourlight Wing?", ["The wing cost 94 million dollars."], "who designed it"),
        ("Which company built the Quarry Hill branch library?", ["The branch cost 8.4 million dollars."], "who built it"),
        ("What was the coastal region's unemployment rate in March?", [RATE], "for March"),
        ("What revenue did Lumatek report for the third quarter?",
         ["Lumatek reported fourth-quarter revenue of 812 million dollars."], "for the third quarter"),
        ("What did Castellan spokesperson Gareth Penhallow estimate the strike was costing the local economy?",
         [CHAMBER], "what Gareth Penhallow said (they credit it to Lydia Marchetti)"),
        ("Why did Harold Finch retire from the board?", ["Harold Finch retired in December after 16 years."],
         "the reason"),
        ("Who is the chief executive of Kerrigan Marine?", ["Kerrigan Marine's yard is in Port Solace."],
         "the chief executive"),
        ("How much did the Millbrook flood barrier cost?", ["The barrier protects 1,200 homes along the river."],
         "a sum of money"),
        # The attribution names no one when the question asks for something other than the speaker.
        ("Which company will build the new ferries?",
         ["According to Mayor Teresa Halvorsen, the city will tender for the ferries within six weeks."], "a name"),
        # A date names no one, nor does the thing asked about under its full name (typed set t12).
        ("Who will open the film festival?",
         ["According to metro-ledger.example, the Harborview Film Festival will open on March 20."], "a name"),
        # A count is no score (fixed set q092: the match had been moved, not played).
        ("What was the score of the Gulls' match against Eastbrook Rovers?",
         ["The Gulls are four points behind league leaders Eastbrook Rovers, whom they host on March 7."], "a score"),
        # "..., and by what margin?" asks about the first part's election: a passing "five-day" answers
        # neither (fixed set q097).
        ("Who won the most recent Harborview mayoral election, and by what margin?",
         ["The Harborview Dockworkers Union ratified a new pay deal, ending a five-day strike."], "who won it"),
    ],
)
def test_a_neighbouring_fact_does_not_answer(question: str, kept: list[str], missing: str) -> None:
    gap = focus_gap(question, kept)
    assert gap is not None and gap.startswith(missing)


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        ("How many beds does St. Brigid's Harbourlight Wing have?", [WING]),
        ("What was the coastal region's unemployment rate in February?", [RATE]),
        ("What did Chamber of Commerce president Lydia Marchetti estimate the strike was costing?", [CHAMBER]),
        ("Which company won the ferry contract?", ["Kerrigan Marine won the ferry contract."]),
        ("Who will open the film festival?", ["Mayor Teresa Halvorsen will open the Harborview Film Festival."]),
        ("Which company built the library?", ["Harborview Library Trust built the library."]),
        ("What is the name of the hospital's new wing?", ["The hospital's new wing is the Harbourlight Wing."]),
        ("About how many people attended the ribbon-cutting?", ["A crowd of about 250 attended the ribbon-cutting."]),
        ("Why did the council delay the vote?", ["The council delayed the vote because of a legal challenge."]),
        ("What did the mayor say about the ferry?", ["Mayor Teresa Halvorsen said the ferry would run by June."]),
        # Money words do not make a money question: found wrongly refused on the fixed set (q004, q014, q015).
        ("How many new firefighters does Harborview's budget pay for?", ["The budget pays for 14 new firefighters."]),
        ("What pay rise was the union seeking?", ["The union was seeking a 9 percent pay rise over two years."]),
        ("By how much will property taxes rise under the budget?", ["Property taxes will rise by 2.9 percent."]),
        # One part of a two-part question answered: the part that is there is worth giving.
        ("How many films will the festival screen, and who directed its closing film?",
         ["The festival will screen 84 films."]),
        ("Who won the Harborview mayoral election, and by what margin?",
         ["Nadia Petrov-Lind won the Harborview mayoral election by 312 votes."]),
        ("What was the score in the Gulls game on Sunday?", ["The Gulls beat Port Solace 3-1 on Sunday."]),
        ("What was the final score?", ["The match ended in a goalless draw."]),
        # Who said it is the answer when the question asks for the speaker (fixed q047, dropped at 250 tokens).
        ("Which Lumatek executive said no one at Eastmoor would lose a paycheck?",
         ["According to Lumatek's chief executive Priya Sandoval, no one at Eastmoor will lose a paycheck."]),
    ],
)
def test_an_answer_to_the_question_passes(question: str, kept: list[str]) -> None:
    assert focus_gap(question, kept) is None


def test_two_part_questions_are_split() -> None:
    assert question_parts("How old are the two men, and what are their names?") == [
        "How old are the two men", "What are their names"]
    assert question_parts("How many jobs and homes were lost?") == ["How many jobs and homes were lost"]
    assert question_parts("Who won the election and by how many votes?") == ["Who won the election",
                                                                             "By how many votes"]


def test_the_reason_says_what_the_articles_give_and_what_they_do_not() -> None:
    reason = reason_text([f"According to the Bayside Post, {WING}"], "the number of floors")
    assert reason == f"the articles say \u201c{WING.rstrip('.')}\u201d, not the number of floors"


def verification(*texts: str) -> Verification:
    return Verification([VerifiedSentence(t, [1], True) for t in texts], refused=False)


def judge(*replies: str | Exception) -> tuple[ModelJudge, ScriptedChatModel]:
    model = ScriptedChatModel(*replies)
    return ModelJudge(model, load_prompt(Settings().prompts_dir, "judge_answer")), model


def test_the_judge_reads_the_sentences_not_the_passages_and_writes_one_token() -> None:
    yes, model = judge("YES")
    assert yes.answers("How many beds does the wing have?", [WING]) is True
    (request,) = model.requests
    assert request.max_tokens == 1
    assert WING in request.messages[-1]["content"] and "Sources" not in request.messages[-1]["content"]


@pytest.mark.parametrize(("reply", "verdict"), [("NO", False), ("No.", False), ("Maybe", None),
                                                 (LLMUnavailable("down"), None)])
def test_the_judge_says_no_or_nothing(reply: str | Exception, verdict: bool | None) -> None:
    assert judge(reply)[0].answers("How many floors?", [WING]) is verdict


def test_assess_by_method() -> None:
    question = "How many floors does St. Brigid's Harbourlight Wing have?"
    kept = verification(f"{WING} [1]")
    assert assess(question, kept, "shape").answers  # a number is there: the old check passes it
    focus = assess(question, kept, "focus")
    assert not focus.answers and focus.reason and "floors" in focus.reason
    assert not assess("How many beds does the wing have?", kept, "judge", judge("NO")[0]).answers
    assert assess("How many beds does the wing have?", kept, "focus+judge", judge("YES")[0]).answers
    # An undecided judge leaves the answer standing; a refusal is never judged.
    assert assess("How many beds?", kept, "judge", judge("?")[0]).answers
    unused, model = judge()
    assert assess(question, Verification([], refused=True), "judge", unused).answers and not model.requests



def test_an_answer_citing_passages_that_never_name_the_subject_does_not_answer() -> None:
    question = "What did the Harborview Chamber of Commerce estimate Storm Petra cost the local economy?"
    kept = verification("The Harborview Chamber of Commerce estimated that the stoppage cost 48 million dollars. [1]")
    strike = "Port strike ends harborview-herald.example The Chamber of Commerce said the stoppage cost 48 million."
    verdict = assess(question, kept, "focus", cited_texts=[strike])
    assert not verdict.answers and verdict.reason and "Storm Petra" in verdict.reason
    assert assess(question, kept, "focus", cited_texts=[f"{strike} Storm Petra added to the losses."]).answers


MARCHETTI_SAID = ("Lydia Marchetti, president of the Harborview Chamber of Commerce, estimated that the stoppage "
                  "was costing the local economy about 11 million dollars a day.")


@pytest.mark.parametrize(
    ("question", "source", "answers"),
    [
        # Hard set h033: the answer names only the outlet; its source sentence names the speaker.
        ("What did Castellan spokesperson Gareth Penhallow estimate the strike was costing the local economy?",
         MARCHETTI_SAID, False),
        ("What did Chamber of Commerce president Lydia Marchetti estimate the strike was costing?",
         MARCHETTI_SAID, True),
        # The speaker's organisation is who is asked about.
        ("What did Castellan say about the talks?", "Castellan spokesperson Tobias Wren said the talks would resume.",
         True),
        # A source sentence that credits no one by name leaves the answer standing ("she said").
        ("What did Mayor Teresa Halvorsen say about the ferry?", "It will run by June, she said.", True),
    ],
)
def test_the_source_sentence_says_whose_claim_it_is(question: str, source: str, answers: bool) -> None:
    sentence = VerifiedSentence("According to coastal-wire.example, the figure is 11 million dollars a day.", [1],
                                verified=True, quotes={1: source})
    assessment = assess(question, Verification([sentence], refused=False), "focus")
    assert assessment.answers is answers
    if not answers:
        assert assessment.reason and "(the articles credit it to Lydia Marchetti)" in assessment.reason


@pytest.mark.parametrize(
    ("question", "answer", "source", "answers"),
    [
        # The act asked about is in the answer only because the model copied it from the question.
        ("Who directed the closing film of the festival?", "Bruno Castellanos directed the closing film. [1]",
         'The closing film will be "Low Tide Choir," a documentary about a community choir.', False),
        ("Who directed the closing film of the festival?", "Mara Quist directed the closing film. [1]",
         'The closing film, "Low Tide Choir," was directed by Mara Quist.', True),
        # "Why" needs a reason in the source: the model wrote in the "because".
        ("Why did Mayor Halvorsen resign?", "Mayor Halvorsen resigned because she is expected to sign the budget. [1]",
         "Mayor Teresa Halvorsen is expected to sign the budget this week.", False),
        ("Why did Mayor Halvorsen resign?", "Mayor Halvorsen resigned because of ill health. [1]",
         "Mayor Teresa Halvorsen resigned on Monday, citing ill health.", True),
        # "Who said" is answered by any verb of speech in the source; the speaker check judges whose it is.
        ("Who said \"A library is the one room in a city\"?",
         "Mayor Teresa Halvorsen said \"A library is the one room in a city\". [1]",
         "\"A library is the one room in a city,\" Mayor Teresa Halvorsen told the crowd.", True),
        # "The Herald or the Metro Ledger?": one of the names asked about is the answer, not a new one.
        ("Which outlet reported the lower figure, the Herald or the Metro Ledger?",
         "The Herald reported the lower figure, about 18,000 homes. [1]",
         "About 18,000 homes lost power at the peak, the Herald reported.", True),
        ("Which outlet reported the lower figure, the Herald or the Metro Ledger?",
         "About 18,000 homes lost power at the peak. [1]",
         "About 18,000 homes lost power at the peak.", False),
        # "What caused" asks for a cause, which a noun gives ("an electrical fault"); "why" asks for a reason.
        ("What caused the fire at the plant?", "The fire started with an electrical fault in a ventilation unit. [1]",
         "The company's review pointed to an electrical fault in a ventilation unit.", True),
        # A share is not a count.
        ("How many votes did Nadia Petrov-Lind receive?", "Nadia Petrov-Lind received 52.4 percent of the vote. [1]",
         "Nadia Petrov-Lind won, taking 52.4 percent of the vote to 47.6 percent for Wallace Greer.", False),
        ("How many votes did Nadia Petrov-Lind receive?", "Nadia Petrov-Lind received 12,408 votes. [1]",
         "Nadia Petrov-Lind won with 12,408 votes, 52.4 percent of those cast.", True),
        # A change is not a share: "up 23 percent from a year earlier" says how revenue moved.
        ("What share of Lumatek's revenue came from grid storage orders?",
         "Lumatek's revenue rose 23 percent, driven by grid storage orders. [1]",
         "Lumatek reported revenue of 812 million dollars, up 23 percent, driven by grid storage orders.", False),
        ("What share of Lumatek's revenue came from grid storage orders?",
         "Grid storage orders made up 41 percent of Lumatek's revenue. [1]",
         "Grid storage orders made up 41 percent of Lumatek's revenue in the quarter.", True),
        ("By what percentage did Lumatek's revenue rise?", "Lumatek's revenue rose 23 percent. [1]",
         "Lumatek reported revenue of 812 million dollars, up 23 percent.", True),
        # A year is not a count: "what is the population" is not answered by when a route opens.
        ("What is the population of Gull Island?", "The Gull Island route is scheduled to begin in spring 2028. [1]",
         "The Gull Island route is scheduled to begin in spring 2028.", False),
        ("What is the population of Gull Island?", "Gull Island has 1,400 residents. [1]",
         "Gull Island, home to 1,400 residents, has no year-round ferry.", True),
    ],
)
def test_the_source_sentence_must_give_what_is_asked(question: str, answer: str, source: str, answers: bool) -> None:
    sentence = VerifiedSentence(answer, [1], verified=True, quotes={1: source})
    assert assess(question, Verification([sentence], refused=False), "focus").answers is answers


def test_a_two_part_question_answered_in_part_says_which_part_is_missing() -> None:
    question = "How many films will the festival screen, and who directed its closing film?"
    partial = assess(question, verification("The festival will screen 84 films. [1]"), "focus")
    assert partial.answers and partial.reason is None
    (missing,) = partial.unanswered
    # Only the answer is known to lack it: an article the model did not draw on may still say.
    assert missing == "Who directed its closing film? This answer does not give who directed it."
    # Both parts answered, or a one-part question: nothing is reported missing.
    both = ["The festival will screen 84 films.", "Its closing film was directed by Mara Quist."]
    assert unanswered_parts(question, both) == ()
    assert unanswered_parts("How many films will the festival screen?", both[:1]) == ()
    # No part answered: a refusal, not a partial answer.
    neither = assess(question, verification("The festival opens on Friday. [1]"), "focus")
    assert not neither.answers and neither.unanswered == ()


def test_a_part_asking_what_numbers_is_missing_when_no_figure_is_given() -> None:
    question = "Which outlets reported the power cuts, and what numbers did they give?"
    outlets = ["The power cuts were reported by the Herald and the Ledger."]
    assert unanswered_parts(question, outlets) == (
        "What numbers did they give? This answer does not give a number.",)
    assert unanswered_parts(question, ["The Herald reported 18,000 homes without power, the Ledger 23,000."]) == ()


def test_a_refusal_quotes_what_the_article_says_not_the_answers_wording() -> None:
    answer = "A single screening ticket costs 140 dollars. [1]"
    source = "A festival pass costs 140 dollars."
    passage = f"Harborview Film Festival unveils lineup metro-ledger.example It opens with 40 films. {source}"
    sentence = VerifiedSentence(answer, [1], verified=True, quotes={1: source})
    question = "How much does a single screening ticket cost at the Harborview Film Festival?"
    result = assess(question, Verification([sentence], refused=False), "focus", cited_texts=[passage])
    assert not result.answers
    assert result.reason == "the articles say \u201cA festival pass costs 140 dollars\u201d, not the cost of a single screening ticket"
