"""A claim credited anew to whom its passage credits it: another speaker, or the outlet itself."""

from __future__ import annotations

import datetime as dt

import pytest

from service.citations import verify
from service.domain import Chunk, Passage
from service.recrediting import circular, reattributed

DROUGHT = ("Storm Petra dropped 38 mm of rain on Thursday. The water board said the reservoir rose. "
           '"One storm does not end a drought," said board chair Harriet Lowe. Farmers were glad of it.')
GRID = ('More than 23,000 customers lost power. "This was the most damaging storm for the network in five years," '
        "Seaboard Grid operations director Paul Ferreira told the Metro Ledger. The storm weakened by evening.")


@pytest.mark.parametrize(
    ("sentence", "passage", "credited"),
    [
        ("According to the National Weather Office, one storm does not end a drought.", DROUGHT,
         "According to Harriet Lowe, one storm does not end a drought."),
        # The wrong claimant's title stays with him, and "Storm Petra" keeps its capital.
        ("According to Colm Brennan, a meteorologist at the National Weather Office, Storm Petra was the most "
         "damaging storm for the network in five years.", GRID,
         "According to Paul Ferreira, Storm Petra was the most damaging storm for the network in five years."),
        # Already the passage's speaker, or a holder that names nobody: nothing to credit.
        ("According to Harriet Lowe, one storm does not end a drought.", DROUGHT, None),
        ("According to the mayor, the reservoir rose.", DROUGHT, None),
        # No claimant named: nothing was misattributed.
        ("One storm does not end a drought.", DROUGHT, None),
        # "it" stood for the speaker the credit moves from: the claim names it instead.
        ("The US Postal Service said it could run out of cash within a year.",
         "Postmaster General David Steiner said the agency could run out of cash within a year.",
         "According to Postmaster General David Steiner, the US Postal Service could run out of cash within a year."),
    ],
)
def test_a_claim_credited_to_the_wrong_speaker_goes_to_the_passages(sentence: str, passage: str,
                                                                    credited: str | None) -> None:
    assert reattributed(sentence, passage) == credited


RELIEF = ("The state will provide 12 million dollars in drought relief to farmers in Cresswell Valley. "
          "Councillor Priyanka Dhar, who chairs the housing committee, welcomed the money.")

MATCH = ("The Harborview Gulls' home match against league leaders Eastbrook Rovers has been moved from Saturday to "
         "Sunday, March 8, at 3 p.m. The club said the 2,400 seats in the north stand would stay closed.")


@pytest.mark.parametrize(
    ("sentence", "passage", "claim"),
    [
        # The claimant is what the claim is about, and the passage says it in its own voice.
        ("According to the state, the state will provide 12 million dollars in drought relief.", RELIEF,
         "The state will provide 12 million dollars in drought relief."),
        ("According to the housing committee, Councillor Priyanka Dhar chairs the housing committee.", RELIEF,
         "Councillor Priyanka Dhar chairs the housing committee."),
        # The passage does credit the claimant, in the sentence or the one before: the credit stands.
        ("According to the state, the state will provide 12 million dollars in drought relief.",
         "The state will provide 12 million dollars in drought relief, the state said.", None),
        ("According to the state, the state will provide 12 million dollars in drought relief.",
         "According to the state budget office, the money is ready. The state will provide 12 million dollars in "
         "drought relief.", None),
        # Asked set a09: the subject of the passage's sentence cut off the claim and made its claimant.
        ("According to the Harborview Gulls' home match against league leaders Eastbrook Rovers, the match has "
         "been moved from Saturday to Sunday.", MATCH, "The match has been moved from Saturday to Sunday."),
        ("According to the club, the match has been moved from Saturday to Sunday.",
         MATCH.replace("has been moved", "has been moved, the club said,"), None),
        # Someone of the claimant's, named with it, speaks for it (asked set a06).
        ("According to the property owners association, the cap would freeze new construction.",
         "Neil Cardew, director of the Harborview Property Owners Association, said the cap would freeze new "
         "construction.", None),
        # Credited to the outlet instead, "they" would name no one: the claim names the water board.
        ("According to the water board, they imposed stage 3 water restrictions from March 9.",
         "The Cresswell Water Board voted on Tuesday to impose stage 3 water restrictions from March 9.",
         "the water board imposed stage 3 water restrictions from March 9."),
        # A claimant the claim does not name is for `misattributed` and `reattributed`, not this.
        ("According to the water board, the state will provide 12 million dollars in drought relief.", RELIEF, None),
    ],
)
def test_a_claimant_who_is_only_the_claims_subject_is_no_credit(sentence: str, passage: str, claim: str | None) -> None:
    assert circular(sentence, passage) == claim


def test_the_verifier_credits_a_circular_claim_to_the_outlet() -> None:
    chunk = Chunk(
        id="v-0", article_id="v", position=0, start=0, end=len(RELIEF), text=RELIEF, title="Drought relief pledged",
        published=dt.date(2026, 3, 5), source="valley-times.example", url=None,
        content_hash="1" * 64,
    )
    verification = verify("According to the state, the state will provide 12 million dollars in drought relief [1].",
                          [Passage(chunk=chunk, score=1.0)])
    (sentence,) = verification.sentences
    assert sentence.verified and sentence.citations == [1]
    assert sentence.text.startswith("According to valley-times.example, the state will provide 12 million dollars")
    (by_pronoun,) = verify("According to the state, it will provide 12 million dollars in drought relief [1].",
                           [Passage(chunk=chunk, score=1.0)]).sentences
    assert by_pronoun.text.startswith("According to valley-times.example, the state will provide 12 million dollars")


FESTIVAL = ('The Harborview Film Festival will open on March 20 with "The Salt Year." Festival director Bruno '
            'Castellanos said this year\'s programme was the largest in its history. Screenings will take place at '
            "six venues. Tickets go on sale on Friday, March 6. A festival pass costs 140 dollars.")


def test_a_claim_credited_to_what_the_story_is_about_is_credited_to_the_outlet() -> None:
    chunk = Chunk(
        id="f-0", article_id="f", position=0, start=0, end=len(FESTIVAL), text=FESTIVAL,
        title="Harborview Film Festival unveils lineup", published=dt.date(2026, 3, 3),
        source="metro-ledger.example", url=None, content_hash="1" * 64,
    )
    festival = [Passage(chunk=chunk, score=1.0)]
    (sentence,) = verify("According to the Harborview Film Festival, tickets go on sale on Friday, March 6 [1].",
                         festival).sentences
    assert sentence.verified and sentence.citations == [1]
    assert sentence.text.startswith("According to metro-ledger.example, tickets go on sale")
    # A claimant the story is not about, who says nothing in it, is still no credit.
    (wrong,) = verify("According to Bruno Castellanos, tickets go on sale on Friday, March 6 [1].", festival).sentences
    assert not wrong.verified
    # Nor is the story's subject when the passage credits the claim to someone else.
    (other,) = verify("According to the festival, the programme was the largest in its history [1].",
                      festival).sentences
    assert other.verified and "Castellanos" in other.text
