"""Who is asked about: what the articles credit to someone else does not answer "what did X say"."""

from __future__ import annotations

from service.asked_claimant import claimant_gap, words_gap
from service.question_focus import part_gap


def test_a_speaker_named_with_an_ampersand_is_named_whole() -> None:
    source = "Harborview Power & Light said it had 120 repair crews on standby."
    gap = claimant_gap("What did Seaboard Grid say about the storm", [f"Seaboard Grid said {source[27:]}"], [source])
    assert gap == "what Seaboard Grid said (the articles credit it to Harborview Power & Light)"


def test_what_an_outlet_reported_is_answered_by_its_own_passage() -> None:
    part = "What estimate of the strike's cost did the Herald report"
    source = "The Harborview Chamber of Commerce estimated that the stoppage cost about 48 million dollars."
    kept = ["According to the Herald, the stoppage cost about 48 million dollars."]
    # The Herald's passage credits the estimate to the chamber: the Herald reported it all the same.
    assert claimant_gap(part, kept, [source], outlets=["harborview-herald.example"]) is None
    assert claimant_gap(part, kept, [source], outlets=["coastal-wire.example"]) == (
        "what Herald said (the articles credit it to Harborview Chamber of Commerce)"
    )

    # The city an outlet is named after is no outlet: what Harborview said is not what the Herald reported.
    chamber = "Lydia Marchetti estimated that the stoppage cost about 48 million dollars."
    assert claimant_gap("What did Harborview say about the stoppage", kept, [chamber],
                        outlets=["harborview-herald.example"]) is not None


def test_asked_what_someone_said_a_fact_about_them_is_no_answer() -> None:
    part = "What did the mayor say this week"
    kept = ["According to metro-ledger.example, Mayor Teresa Halvorsen is expected to sign the budget this week."]
    source = "Mayor Teresa Halvorsen is expected to sign the budget this week."
    assert words_gap(part, kept, [source]) == "what the mayor said"
    assert part_gap(part, kept, [source]) == "what the mayor said"
    # Her words, quoted or reported, answer it; so does an act of speech ("rejected the offer").
    quoted = '"I am relieved for the workers," Mayor Teresa Halvorsen said.'
    assert words_gap(part, ["According to Mayor Teresa Halvorsen, she is relieved for the workers."], [quoted]) is None
    assert words_gap("What did the union say about the offer", ["The union rejected the offer."],
                     ["The union rejected the offer on Tuesday."]) is None
    # The answer's own "said" is no evidence: a small model copies it from the question.
    assert words_gap(part, ["The mayor said she is expected to sign the budget this week."], [source]) == (
        "what the mayor said")


def test_a_columns_first_person_is_its_author_speaking() -> None:
    part = "What did the columnist say about the ferry"
    kept = ["The columnist said the ferry vote was the council's best decision this year."]
    column = "In my view, Monday's 9 to 4 vote to buy two new ferries is the best thing the council has done."
    assert words_gap(part, kept, [column]) is None
    # A report in the third person is still no one's words.
    report = "Monday's 9 to 4 vote to buy two new ferries was the council's biggest decision this year."
    assert words_gap(part, kept, [report]) == "what the columnist said"


def test_someone_asked_for_by_role_is_not_answered_by_another_named_speaker() -> None:
    part = "What did the mayor say about the strike deal"
    ceo = "Castellan chief executive Viktor Ambrose said in a statement that the agreement secures the port's future."
    kept = ["According to Viktor Ambrose, the agreement secures the port's future."]
    assert claimant_gap(part, kept, [ceo]) == "what the mayor said (the articles credit it to Viktor Ambrose)"
    mayor = '"I am relieved for the workers," Mayor Teresa Halvorsen said.'
    assert claimant_gap(part, ["According to Mayor Teresa Halvorsen, she is relieved for the workers."], [mayor]) is None
    # A source sentence that credits no one by name may be the mayor's, said a sentence before.
    assert claimant_gap(part, kept, ["The agreement secures the port's future."]) is None
    two_credits = "Viktor Ambrose said the deal was fair, and Gareth Penhallow said it was final."
    assert claimant_gap(part, kept, [two_credits, "The agreement secures the port's future."]) is None


def test_asked_by_name_a_credit_by_the_title_the_source_gives_them_is_theirs() -> None:
    part = "What did union president Marisol Quintero say about the deal"
    source = '"We did not get everything, but we got respect, and we got it in writing," said union president Marisol Quintero.'
    by_title = ["According to the union president, members got respect and got it in writing."]
    assert claimant_gap(part, by_title, [source]) is None
    # A title the source sentence does not give her is someone else's.
    assert claimant_gap(part, ["According to the Castellan spokesperson, members got respect."], [source]) == (
        "what Marisol Quintero said (they credit it to Castellan)")
    # So is her organisation, which is not a person: the union's word is not hers.
    employer = "Marisol Quintero, president of the Harborview Dockworkers Union, said members got respect."
    assert claimant_gap(part, ["According to the Harborview Dockworkers Union, members got respect."],
                        [employer]) is not None
    assert claimant_gap(part, ["According to the Harborview Dockworkers Union president, members got respect."],
                        [employer]) is None
