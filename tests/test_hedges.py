from __future__ import annotations

from service.citations import verify
from service.hedges import kept_future, kept_hedge
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
