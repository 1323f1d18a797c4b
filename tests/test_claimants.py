"""Who claims a figure: hand-written cases for `claimant_words` and `misattributed`."""

from __future__ import annotations

import pytest

from service.claimants import claimant_words, credited_claim, misattributed, names_a_speaker, with_asked_quote

# The module docstring's case: two rival figures side by side, each with its own claimant.
RENT_CAP = (
    "City officials estimate the cap would cover about 38,000 homes. "
    "The Tenants Union says the true figure is closer to 45,000."
)
# The claimant is named in one sentence and speaks in the next ("She said ...").
STRIKE = (
    "Union leader Mara Olsen spoke to reporters outside the port on Wednesday. "
    "She said about 1,400 dock workers had walked off the job. "
    "The port authority said fewer than 900 workers had joined the walkout."
)


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("According to the Tenants Union, the cap would cover about 45,000 homes.", {"tenants", "union"}),
        ("According to Mayor Dana Whitfield's office, the ferry costs 12 million.", {"dana", "whitfield", "office"}),
        ("According to city officials, the cap would cover 38,000 homes.", set()),  # only generic words
        ("According to Dr Nadia Farouk, waits fell.", {"nadia", "farouk"}),  # "Dr" is too short to tell
        ("The cap would cover about 38,000 homes, according to the Tenants Union.", set()),  # not an opening
        ("The cap would cover about 38,000 homes.", set()),
        ("Mayor Teresa Halvorsen warned that the borrowing would crowd out schools.", {"teresa", "halvorsen"}),
        ("Ruth Abernathy, who voted no, said the cost was too high.", {"ruth", "abernathy"}),
        ("According to the sources, the cap covers 38,000 homes.", set()),  # the articles are no claimant
        ("The company said revenue rose.", set()),
        # The article names no one: the speaker after it is the claimant; a title says nothing of who.
        ("According to the article, Councillor Priyanka Dhar, who chairs housing, warned of delays.",
         {"priyanka", "dhar"}),
    ],
)
def test_claimant_words(sentence: str, words: set[str]) -> None:
    assert claimant_words(sentence) == words


def test_the_figure_of_the_rival_claimant_is_misattributed() -> None:
    assert misattributed("According to the Tenants Union, the cap would cover about 38,000 homes.", RENT_CAP)


def test_a_figure_credited_to_its_own_claimant_is_not() -> None:
    assert not misattributed("According to the Tenants Union, the true figure is closer to 45,000.", RENT_CAP)


def test_figures_compare_as_numbers() -> None:
    assert misattributed("According to the Tenants Union, the cap covers 38000 homes.", RENT_CAP)


def test_a_claimant_named_in_the_sentence_before_counts() -> None:
    assert not misattributed("According to Mara Olsen, about 1,400 dock workers walked off the job.", STRIKE)


def test_the_sentence_before_does_not_lend_its_claimant_further() -> None:
    # Olsen is two sentences away from the port authority's figure.
    assert misattributed("According to Mara Olsen, fewer than 900 workers joined the walkout.", STRIKE)


@pytest.mark.parametrize(
    "sentence",
    [
        "The cap would cover about 38,000 homes.",  # no claimant
        "According to the Daily Planet, the cap would cover about 38,000 homes.",  # a claimant the passage never names
        "According to the Tenants Union, the cap would cover 50,000 homes.",  # a figure the passage lacks
    ],
)
def test_nothing_to_check_is_not_misattributed(sentence: str) -> None:
    # The last two are the support check's business (the figure or name is not there), not this one's.
    assert not misattributed(sentence, RENT_CAP)


def test_the_outlet_reports_every_figure() -> None:
    passage = RENT_CAP + " The union spoke to the Herald on Monday."
    sentence = "According to the Herald, the cap would cover about 38,000 homes."
    assert misattributed(sentence, passage)
    assert not misattributed(sentence, passage, outlet="harborview-herald.example")


def test_the_company_refers_back_to_the_subject_and_is_no_rival_claimant() -> None:
    # Fixed set q010: a correct answer was dropped because "The company said" stood elsewhere.
    sentence = "According to the company, Lumatek reported fourth-quarter revenue of 812 million dollars."
    passage = ("Lumatek reported fourth-quarter revenue of 812 million dollars on Monday. "
               "The company said it would hire 300 workers.")
    assert not misattributed(sentence, passage)


# Hard set h041: the mayor spoke, but the warning is the councillor's.
FERRY = (
    'Mayor Teresa Halvorsen called the vote "a promise kept to Gull Island." '
    "Councillor Ruth Abernathy, one of the four members who voted no, warned that the extra borrowing "
    'would "crowd out roads and schools" in future budgets.'
)


def test_a_claim_without_figures_is_credited_by_the_sentence_that_makes_it() -> None:
    warning = 'warned that the extra borrowing would "crowd out roads and schools" in future budgets.'
    assert misattributed(f"Mayor Teresa Halvorsen {warning}", FERRY)
    assert not misattributed(f"Councillor Ruth Abernathy {warning}", FERRY)
    assert not misattributed("According to Ruth Abernathy, the extra borrowing would crowd out roads and schools.", FERRY)


def test_the_sentence_before_counts_only_when_the_claim_names_no_speaker_of_its_own() -> None:
    # "She said ...": the speaker is in the sentence before.
    assert not misattributed("According to Mara Olsen, dock workers walked off the job.", STRIKE)
    # The warning names Abernathy, so the mayor in the sentence before lends it nothing.
    assert misattributed("According to Teresa Halvorsen, the extra borrowing would crowd out roads and schools.",
                         FERRY)


def test_a_claim_whose_words_are_gathered_from_all_over_the_passage_is_no_claimants() -> None:
    # No sentence says the cap is a step forward: the union cannot be shown to have said it.
    assert misattributed("According to the Tenants Union, the cap is a step forward.", RENT_CAP)


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("Councillor Ruth Abernathy, who voted no, warned that it would cost more.", True),
        ("It began in cell storage, said Tobias Wren.", True),
        ("She said about 1,400 dock workers had walked off the job.", False),
        ("The port authority said fewer than 900 workers had joined.", False),
    ],
)
def test_names_a_speaker(sentence: str, names: bool) -> None:
    assert names_a_speaker(sentence) is names


COLUMN = (
    "In my view, the most revealing number in this week's port dispute is not the 9 percent the dockworkers want. "
    'My advice to Mayor Halvorsen is to stop describing the strike as "a private matter between two parties." '
    '"We will not be rushed," Castellan spokesperson Tobias Wren said on Monday.\n\n'
    "Leonard Vance is a columnist for The Open Column. The views expressed here are his own."
)


def test_a_columns_own_words_are_its_authors() -> None:
    # The columnist's name is only in the author line; his words credit no one else.
    assert not misattributed(
        'According to columnist Leonard Vance, Mayor Halvorsen was describing the port strike as "a private matter".',
        COLUMN,
    )
    # What the column quotes someone else saying stays theirs.
    assert misattributed("According to Leonard Vance, Castellan will not be rushed.", COLUMN)


OFFER = (
    "The leader of Harborview's striking dockworkers said on Thursday that Castellan had raised its pay offer to "
    '6 percent over two years, a claim the company flatly denied. "There is a 6 percent offer on the table. It is '
    'not enough," Marisol Quintero, president of the Harborview Dockworkers Union, said. Castellan spokesperson '
    'Gareth Penhallow said no new offer had been tabled. "The figure is not 5 percent. We offered 4," he said.'
)


def test_a_quote_runs_on_to_the_sentence_that_credits_it() -> None:
    assert not misattributed("According to the union, Castellan had raised its pay offer to 6 percent.", OFFER)
    # A closed quote credits no one in the next sentence.
    assert misattributed("According to the union, Castellan offered 4 percent.", OFFER + " The union disagreed.")


@pytest.mark.parametrize(
    ("claim", "credited"),
    [
        ("Yes, two men were arrested.", "Yes, according to the police, two men were arrested."),
        ("No one died in the storm.", "According to the police, no one died in the storm."),
        ("Storm Petra killed no one.", "According to the police, Storm Petra killed no one."),
        ("On Tuesday, seven were injured.", "According to the police, on Tuesday, seven were injured."),
        ("Fourteen ships waited at anchor.", "According to the police, fourteen ships waited at anchor."),
        ("Twenty-five ships waited.", "According to the police, twenty-five ships waited."),
        ("Mayor Teresa Halvorsen opened it.", "According to the police, Mayor Teresa Halvorsen opened it."),
        ("Mayor said nothing.", "According to the police, mayor said nothing."),
    ],
)
def test_a_reply_word_stays_first_and_an_opener_is_lower_cased(claim: str, credited: str) -> None:
    from service.crediting import credited_to

    assert credited_to("the police", claim, "Two men were arrested. No one was hurt.") == credited


def test_a_speaker_with_an_ampersand_is_named_whole() -> None:
    from service.crediting import speaker_of
    from tests.test_citations import passage

    lines = passage("Harborview Power & Light said it had 120 repair crews on standby.")
    assert speaker_of(lines.chunk.text, lines) == "Harborview Power & Light"


def test_a_possessive_speaker_keeps_what_it_owns() -> None:
    from service.crediting import speaker_of
    from tests.test_citations import passage

    office = passage("The coop matches the house, according to Vice President JD Vance's office.")
    assert speaker_of(office.chunk.text, office) == "Vice President JD Vance's office"
    named = passage("The coop matches the house, according to Carolina Coops.")
    assert speaker_of(named.chunk.text, named) == "Carolina Coops"


ASKED = 'Who said "We did not get everything, but we got respect" about the port deal?'


@pytest.mark.parametrize(
    ("sentence", "resolved"),
    [
        ("Marisol Quintero said this about the port deal.",
         'Marisol Quintero said "We did not get everything, but we got respect" about the port deal.'),
        ("According to the article, union president Marisol Quintero said it.",
         'According to the article, union president Marisol Quintero said "We did not get everything, but we got '
         'respect".'),
        # "said that the ..." opens a claim of its own; "it" before a verb is its subject.
        ("Marisol Quintero said that the deal was fair.", "Marisol Quintero said that the deal was fair."),
        ("Marisol Quintero said it would take two years.", "Marisol Quintero said it would take two years."),
        # The quotation already there is not added twice.
        ('Marisol Quintero said "We did not get everything, but we got respect".',
         'Marisol Quintero said "We did not get everything, but we got respect".'),
    ],
)
def test_said_this_stands_for_the_quotation_asked_about(sentence: str, resolved: str) -> None:
    assert with_asked_quote(sentence, ASKED) == resolved


def test_only_a_who_said_question_lends_its_quotation() -> None:
    question = 'Why did the union call the deal "a start"? It said "We did not get everything"'
    assert with_asked_quote("Marisol Quintero said this.", question) == "Marisol Quintero said this."
    assert with_asked_quote("Marisol Quintero said this.", "Who spoke for the union?") == "Marisol Quintero said this."


def test_the_officials_of_a_named_place_speak_not_the_place() -> None:
    from service.crediting import speaker_of
    from tests.test_citations import passage

    # Public 20260501_17 had been credited "According to Texas, ...".
    health = passage("The outbreak has officially ended, according to Texas health authorities.")
    assert speaker_of(health.chunk.text, health) == "Texas health authorities"
    police = passage("The road reopened at noon, said Harborview police.")
    assert speaker_of(police.chunk.text, police) == "Harborview police"
    state = passage("The outbreak has ended, according to Texas.")
    assert speaker_of(state.chunk.text, state) == "Texas"


def test_a_speaker_named_by_role_opens_the_sentence() -> None:
    # Said set m10: "said the two lines Lumatek ..." had credited the claim to Lumatek.
    passage = ('"The two berths we reopened are safe and have passed inspection," said Ines Farrow, the harbour '
               "master leading the review. Port director Hal Berg welcomed the news.")
    claim = "The harbour master leading the review said the two berths Kerrigan reopened had passed inspection."
    assert credited_claim(claim)[0] == {"harbour", "master", "leading", "review"}
    assert not misattributed(claim, passage)
    assert misattributed("The port director said the two berths Kerrigan reopened had passed inspection.", passage)
