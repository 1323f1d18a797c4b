from __future__ import annotations

from service.citations import verify
from service.hedges import kept_future, kept_hedge, states_a_proposal
from tests.test_citations import passage

SKYLIGHT = ("Detective Inspector Hana Kowalczyk of Harborview Police said the thieves appear to have entered "
            "through a skylight shortly after 2 a.m. and were inside for less than ten minutes.")


def test_a_verified_claim_keeps_the_hedge_its_passage_puts_on_it() -> None:
    # Fixed set q009: "appear to have entered" was shown as "entered", every word of it supported.
    [sentence] = verify("According to Harborview Police, the thieves entered through a skylight shortly after "
                        "2 a.m. [1].", [passage(SKYLIGHT)]).sentences
    assert sentence.verified
    assert "the thieves appear to have entered through a skylight" in sentence.text


def test_only_a_hedge_on_the_verb_the_claim_repeats_is_put_back() -> None:
    assert kept_hedge("Two men stole the painting.", "Police said two men allegedly stole the painting.") \
        == "Two men allegedly stole the painting."
    assert kept_hedge("The fire started in a storage room.", "The fire may have started in a storage room.") \
        == "The fire may have started in a storage room."
    # A claim that hedges keeps its own words; a hedge on another verb is not this claim's.
    assert kept_hedge("The thieves may have entered through a skylight.", SKYLIGHT) \
        == "The thieves may have entered through a skylight."
    assert kept_hedge("He won five gold medals.", "Fans wondered if he could capture five gold medals.") \
        == "He won five gold medals."


def test_a_verified_claim_keeps_the_future_its_passage_puts_on_it() -> None:
    # Asked what happened yesterday, the 1.5B wrote "Lumatek restarted two production lines on Monday"
    # from "Lumatek will restart ... on Monday": a plan told as done.
    restart = passage("Lumatek will restart two of the five production lines at its Eastmoor plant on Monday.",
                      title="Lumatek to restart two lines", source="metro-ledger.example")
    [sentence] = verify("Lumatek restarted two production lines at its Eastmoor plant on Monday [1].",
                        [restart]).sentences
    assert sentence.verified and "Lumatek will restart two production lines" in sentence.text


def test_only_a_future_the_claim_turns_into_a_past_is_put_back() -> None:
    assert kept_future("The council voted on March 19.", "The full council is scheduled to vote on March 19.") \
        == "The council is scheduled to vote on March 19."
    assert kept_future("The city opened a branch in Eastmoor.", "The city hoped to open a branch in Eastmoor.") \
        == "The city hoped to open a branch in Eastmoor."
    # Said as to come already, or the past is the passage's own: unchanged.
    assert kept_future("The council will vote on March 19.", "The council will vote on March 19.") \
        == "The council will vote on March 19."
    assert kept_future("The museum opened in 1990.", "The museum, which opened in 1990, will open a gallery.") \
        == "The museum opened in 1990."
    assert kept_future("The museum offered a reward.", "The museum offered a reward of 50,000 dollars.") \
        == "The museum offered a reward."


LINWOOD = passage("The Harborview school board on Tuesday proposed closing Linwood Elementary at the end of the "
                  "school year, citing falling enrollment.", title="Linwood Elementary could close",
                  source="bayside-post.example")


def test_a_proposal_stated_as_happening_is_not_verified() -> None:
    # Asked "Is Linwood Elementary closing?", the model dropped "proposed": every other word is there.
    assert verify("According to the school board, Linwood Elementary is closing at the end of the school year [1].",
                  [LINWOOD]).refused
    # Said as a proposal, it stands.
    (sentence,) = verify("The school board proposed closing Linwood Elementary at the end of the school year [1].",
                         [LINWOOD]).sentences
    assert sentence.verified
    assert states_a_proposal("The council raised fares.", "The council is considering raising fares.")
    # A plan is a future (`kept_future`), and "the proposed cap" names a thing, not an act.
    assert not states_a_proposal("The council will close the pool.", "The council plans to close the pool.")
    assert not states_a_proposal("The cap covers 12,000 flats.", "The proposed cap would cover 12,000 flats.")
