"""Who claims a figure: a sentence may not credit a number to someone the passage did not give it to.

News on contested matters carries rival figures side by side: "City officials estimate the cap
would cover about 38,000 homes. The Tenants Union says the true figure is closer to 45,000." A
small model writes "According to the Tenants Union, the cap would cover about 38,000 homes": every
word is in the passage, so word overlap calls it supported, yet it puts the city's figure in the
union's mouth. Saying who claims what is the point of attribution, so such a sentence is dropped.
"""

from __future__ import annotations

import re

from service.text import numbers, sentence_spans

# "According to X," anywhere; `match` finds it as a sentence's opening.
ATTRIBUTION = re.compile(r"\bAccording to (?:the )?([^,]+),\s*")
# Words of a claimant's name that say nothing about which claimant it is. "The company", "the
# budget", "the report" refer back to the story's subject: "According to the company, Lumatek
# reported revenue of 812 million dollars" was dropped because "the company said" was elsewhere.
_GENERIC = frozenset({"the", "of", "and", "for", "city", "columnist", "president", "chair", "mayor", "officials",
                      "company", "firm", "budget", "report", "reports", "article", "articles", "statement",
                      "data", "figures", "plan"})


def claimant_words(sentence: str) -> set[str]:
    """The distinctive words of the "According to X," claimant, lower-cased; empty when none."""
    match = ATTRIBUTION.match(sentence)
    if not match:
        return set()
    words = {w.lower().removesuffix("'s") for w in re.findall(r"[\w'-]+", match.group(1))}
    return {w for w in words - _GENERIC if len(w) > 2 and "." not in w}


def misattributed(sentence: str, passage_text: str, outlet: str = "") -> bool:
    """True when the sentence credits one of its figures to a claimant the passage names, but
    every passage sentence that gives the figure (or the sentence before it, for "she said")
    is silent about that claimant."""
    lowered = passage_text.lower()
    # Only the claimant's words the passage uses can be looked for; the outlet reports everything.
    claimant = {w for w in claimant_words(sentence) if w in lowered and w not in outlet.lower()}
    figures = numbers(ATTRIBUTION.sub("", sentence))
    if not claimant or not figures:
        return False
    spans = [passage_text[start:end].lower() for start, end, _ in sentence_spans(passage_text)]

    def names_claimant(i: int) -> bool:
        # Any of the words will do: "Castellan said" names Castellan Port Services.
        window = spans[i] + (" " + spans[i - 1] if i > 0 else "")
        return any(word in window for word in claimant)

    for figure in figures:
        holders = [i for i, text in enumerate(spans) if figure in numbers(text)]
        if holders and not any(names_claimant(i) for i in holders):
            return True
    return False
