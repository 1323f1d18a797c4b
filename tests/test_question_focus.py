"""The focus checks that read what the source says, not only the answer's wording of it.

Each case is a kind from the hard set (eval/questions_hard.jsonl): a small model copies the
question's words ("a single screening ticket", "a third ferry", "Castellan confirmed") into a
sentence whose source never said them, and the verifier's word overlap lets it through.
"""

from __future__ import annotations

import pytest

from service.question_focus import part_gap

MUSEUM = (
    "Painting stolen from Harborview Maritime Museum harborview-herald.example A painting valued at 2.3 million "
    "dollars was stolen from the Harborview Maritime Museum in the early hours of Sunday, March 1, police said. "
    'The work, "Fog over Tallow Point" by Ines Marrow, painted in 1911, was taken from the east gallery.'
)
FESTIVAL = (
    "Harborview Film Festival unveils lineup metro-ledger.example The festival opens on March 12 with 40 films. "
    "Tickets go on sale on Friday, March 6. A festival pass costs 140 dollars."
)
FERRY = (
    "Harborview council approves ferry expansion harborview-herald.example The council voted 9 to 4 on Monday. "
    "The project is expected to cost 46 million dollars."
)


ELECTION = ("Petrov-Lind wins Cresswell County supervisor seat valley-times.example Petrov-Lind won, taking 52.4 "
            "percent of the vote to 47.6 percent for Greer. The margin was 611 votes.")


@pytest.mark.parametrize(
    ("part", "kept", "cited", "missing"),
    [
        ("How many paintings by Ines Marrow does the Harborview Maritime Museum own",
         ["The Harborview Maritime Museum owns one painting by Ines Marrow."], [MUSEUM], "the number of paintings"),
        ("How many paintings by Ines Marrow does the Harborview Maritime Museum own",
         ["The museum owns 14 paintings by Ines Marrow."], [f"{MUSEUM} The museum owns 14 Marrow paintings."], None),
        ("How many workers were injured in the fire",
         ["Seven workers were injured."], ["Fire at plant x.example Seven workers were injured, one critically."],
         None),
        ("How much does a single screening ticket cost at the Harborview Film Festival",
         ["A single screening ticket costs 140 dollars."], [FESTIVAL], "the cost of a single screening ticket"),
        ("How much does a Harborview Film Festival pass cost",
         ["A festival pass costs 140 dollars."], [FESTIVAL], None),
        # Asked set a07: a share of the vote is no number of votes, though the passage gives one elsewhere.
        ("By how many votes", ["Petrov-Lind won, taking 52.4 percent of the vote to 47.6 percent for Greer."],
         [ELECTION], "the number of votes"),
        ("By how many votes", ["The margin was 611 votes."], [ELECTION], None),
        # The thing priced named in the title and the sum in a later sentence ("The project ...").
        ("How much is the Harborview ferry expansion expected to cost",
         ["The project is expected to cost 46 million dollars."], [FERRY], None),
    ],
)
def test_what_the_cited_passages_count_and_price(part: str, kept: list[str], cited: list[str],
                                                 missing: str | None) -> None:
    assert part_gap(part, kept, sources=kept, cited=cited) == missing


TWO_FERRIES = ("Harborview city council voted 9 to 4 on Monday night to approve the purchase of two new "
               "hybrid-electric ferries.")


@pytest.mark.parametrize(
    ("part", "kept", "missing"),
    [
        ("When did Harborview council commit to buying a third ferry", [TWO_FERRIES], "anything about the third one"),
        ("When did the council vote to buy a third ferry", ["The council voted on March 9 to buy a third ferry."],
         None),
        # A photo caption's "(second from left)" is no part of what is asked.
        ("Edward Eagan (second from left) won gold in 1932, but in which sport did he win in 1920",
         ["Eagan won a gold medal in boxing in 1920."], None),
    ],
)
def test_an_ordinal_asked_for_must_be_in_the_answer_or_its_source(part: str, kept: list[str],
                                                                    missing: str | None) -> None:
    assert part_gap(part, kept, sources=kept) == missing


@pytest.mark.parametrize(
    ("sources", "missing"),
    [
        # One passage's chief executive (of another company) and another's Kerrigan Marine.
        (["The city's preferred builder is Kerrigan Marine, which would build both ferries in Port Solace.",
          "Castellan's team was led by chief executive Viktor Ambrose."],
         "the chief executive of Kerrigan Marine"),
        (["Viktor Ambrose, chief executive of Kerrigan Marine, declined to comment."], None),
    ],
)
def test_a_role_and_whose_role_it_is_come_from_one_sentence(sources: list[str], missing: str | None) -> None:
    kept = ["The chief executive of Kerrigan Marine is Viktor Ambrose."]
    assert part_gap("Who is the chief executive of Kerrigan Marine", kept, sources=sources) == missing


def test_an_employer_is_named_by_its_first_word_too() -> None:
    # Asked as a new user would: "Castellan's ... chief executive" answers for Castellan Port Services.
    kept = ["Viktor Ambrose is the chief executive of Castellan Port Services."]
    sources = ["Castellan's team was led by chief executive Viktor Ambrose, while union president Marisol Quintero "
               "headed the union delegation."]
    assert part_gap("Who is the chief executive of Castellan Port Services", kept, sources=sources) is None
    assert part_gap("Who is the chief executive of Kerrigan Marine Services", kept, sources=sources) is not None


def test_a_role_in_an_event_is_not_a_role_at_an_employer() -> None:
    kept = ["The mediator in the Harborview port strike talks is Franklin Osei."]
    sources = ["Mediator Franklin Osei said the two sides had agreed to keep talking through the night."]
    assert part_gap("Who is the mediator in the Harborview port strike talks", kept, sources=sources) is None


OFFER = "What new pay offer did Castellan confirm it had tabled during Thursday's talks"
KEPT_OFFER = ["Castellan confirmed it had tabled a 6 percent pay offer during Thursday's talks."]


@pytest.mark.parametrize(
    ("source", "missing"),
    [
        ("HARBORVIEW (Coastal Wire) - The leader of the striking dockworkers said on Thursday that Castellan "
         "Port Services had raised its pay offer to 6 percent, a claim the company flatly denied.",
         "what Castellan said (the articles credit it to The leader of the striking dockworkers)"),
        ("Castellan said on Thursday that it had tabled a 6 percent pay offer.", None),
        ("The offer rose to 6 percent, said Castellan spokesperson Tobias Wren.", None),
    ],
)
def test_what_someone_else_reports_a_claimant_did_is_not_the_claimants_word(source: str,
                                                                            missing: str | None) -> None:
    assert part_gap(OFFER, KEPT_OFFER, sources=[source]) == missing


@pytest.mark.parametrize(
    ("part", "kept", "sources", "missing"),
    [
        # Asked as a new user would: the school board's proposal is no decision of the city council.
        ("What did the city council decide about Linwood Elementary",
         ["The Harborview school board proposed closing Linwood Elementary."],
         ["The Harborview school board proposed closing Linwood Elementary, citing falling enrollment."],
         "what the city council did"),
        ("What did Harborview city council decide on March 3",
         ["The council approved a budget raising property taxes by 3.5 percent."],
         ["Harborview city council approved a 2026-27 budget on Tuesday."], None),
        # The body named as the claimant counts, and "now" is no part of its name (fixed set q059).
        ("When will the Harborview school board now vote on closing Linwood Elementary",
         ["According to the Harborview school board, the vote will be held on April 14."],
         ["The vote was postponed to April 14."], None),
    ],
)
def test_the_body_asked_about_is_the_one_that_acted(part: str, kept: list[str], sources: list[str],
                                                    missing: str | None) -> None:
    assert part_gap(part, kept, sources=sources) == missing


def test_a_yes_or_no_question_is_not_asking_for_the_figure_it_names() -> None:
    kept = ["According to Castellan spokesperson Gareth Penhallow, no new offer had been tabled."]
    assert part_gap("Did Castellan confirm the 6 percent offer", kept) is None
    assert part_gap("What percent did Castellan offer", kept) == "a percentage"



def test_where_is_answered_by_a_place_not_by_who_or_when() -> None:
    # A public-set answer: a country, but as the doer, and a day.
    kept = ["President Nicolás Maduro was captured by the United States on Saturday, Jan. 3, 2026."]
    assert part_gap("Where was ousted President Nicolás Maduro captured", kept) == "the place asked for"
    assert part_gap("Where was Maduro captured", ["Maduro was captured in Caracas on Saturday."]) is None
    # A place need not be a name, and the question's own place is no answer.
    assert part_gap("Where did the fire start", ["The fire started in a ventilation unit on the roof."]) is None
    assert part_gap("Where did the Harborview fire start", ["The fire started in Harborview in the morning."]) \
        == "the place asked for"


def test_what_a_thing_is_is_not_answered_by_when_it_starts() -> None:
    # A fixed-corpus question asked by hand: the 1.5B answered with the start date alone.
    when = ["According to the water board, stage 3 restrictions will still take effect on March 9."]
    assert part_gap("What are stage 3 water restrictions", when) == "what stage 3 water restrictions are"
    assert part_gap("What are stage 3 water restrictions", ["Stage 3 restrictions are due to take effect on March 9."]) \
        == "what stage 3 water restrictions are"
    assert part_gap("What are stage 3 water restrictions",
                    ["Stage 3 restrictions, which ban garden hoses, take effect on March 9."]) is None
    assert part_gap("When do stage 3 water restrictions start", when) is None


def test_what_was_forecast_is_not_answered_by_what_was_recorded() -> None:
    part = "What maximum gust speed did the National Weather Office forecast for Storm Petra"
    recorded = ["According to the National Weather Office, the strongest gust, 104 km/h, was recorded at 1:10 p.m."]
    assert part_gap(part, recorded, recorded) == "what was forecast"  # fixed q018, once a wrong answer
    forecast = ["Storm Petra is expected to bring gusts of up to 110 km/h on Thursday."]
    assert part_gap(part, ["The office forecast gusts of 110 km/h."], forecast) is None
    assert part_gap("Which event is the president expected to attend", ["He attended the Daytona 500 in 2020."]) \
        == "what was expected"


def test_a_match_against_a_named_side_is_answered_about_that_match() -> None:
    other_match = ["According to bayside-post.example, the Harborview Gulls beat the Port Solace Mariners 3-1 on Sunday."]
    assert part_gap("What was the score of the Gulls' match against Eastbrook Rovers", other_match) \
        == "the match against Eastbrook"  # fixed q092, unanswerable, once answered with this
    moved = ["The Gulls' home match against league leaders Eastbrook Rovers was moved to Sunday, March 8."]
    assert part_gap("When is the Gulls match against Eastbrook now", moved) is None


def test_who_won_needs_a_source_that_says_someone_won() -> None:
    part = "Who won the Democratic primary for US Senate in Texas"
    kept = ["Jasmine Crockett won the Democratic primary for US Senate in Texas."]
    endorsed = "Kamala Harris is throwing her support behind Jasmine Crockett in the Senate primary in Texas."
    assert part_gap(part, kept, [endorsed]) == "who won it"
    assert part_gap(part, kept, ["Jasmine Crockett won the Democratic Senate primary in Texas."]) is None
    assert part_gap(part, kept, ["Crockett claimed victory in the Democratic Senate primary."]) is None
    assert part_gap(part, kept, ["Crockett triumphed in the Democratic Senate primary."]) is None


def test_who_leads_a_body_is_answered_by_a_leaders_title() -> None:
    kept = ["Dr. Amara Nwosu-Hale is running St. Brigid's Hospital."]
    title = ['"This wing is how we stop that," said Dr. Amara Nwosu-Hale, the hospital\'s chief executive.']
    assert part_gap("Who runs St. Brigid's Hospital", kept, title) is None
    assert part_gap("Who heads the housing committee", kept, ["Councillor Priyanka Dhar chairs the housing committee."]) \
        is None
    # A name alone, with no title or act of leading, does not say who runs it.
    assert part_gap("Who runs St. Brigid's Hospital", kept, ["Dr. Amara Nwosu-Hale spoke at the opening."]) \
        == "who runs it"

    # "Who is in charge of ..." asks who leads it too; "in charge" is no title the source must hold.
    ceo = ["The president of the United States is the chief executive officer of the United States."]
    assert part_gap("Who is in charge of the executive branch", ceo, ceo) is None
    assert part_gap("Who is in charge of the executive branch", ["Congress passed the budget."],
                    ["Congress passed the budget on Friday."]) == "who is in charge"


def test_next_or_last_year_asked_must_be_said() -> None:
    kept = ["According to metro-ledger.example, a festival pass costs 140 dollars."]
    assert part_gap("How much will a festival pass cost next year", kept) == "anything for next year"
    assert part_gap("How much did a festival pass cost last year", kept, kept) == "anything for last year"
    assert part_gap("How much will a festival pass cost next year", kept, ["A pass will cost 150 dollars next year."]) \
        is None
    assert part_gap("How much will a festival pass cost in 2027", ["A festival pass will cost 150 dollars in 2027."]) \
        is None
