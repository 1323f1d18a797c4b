from __future__ import annotations

from service.citations import verify
from service.hedges import kept_hedge
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
