"""A passage's doubt stays on the claim: "the thieves appear to have entered through a skylight" is
not "the thieves entered through a skylight", and "allegedly stole" is not "stole".

A small model often drops the hedge while copying the rest of the sentence; every word it keeps is
in the passage, so word support alone passes the stronger claim. The hedge is put back where the
claim repeats the hedged verb as the passage writes it.
"""

from __future__ import annotations

import re

# A hedge and the verb it governs, as a passage writes them.
_HEDGED_VERB = re.compile(
    r"\b(?P<hedge>(?:appears?|appeared|seems?|seemed) to (?:have )?|(?:allegedly|reportedly|apparently) "
    r"|(?:may|might) have )(?P<verb>[a-z]+)\b",
    re.IGNORECASE,
)
# A claim that hedges already keeps its own wording.
_ANY_HEDGE = re.compile(
    r"\b(appears?|appeared|apparently|allegedly|alleged|reportedly|seems?|seemed|may|might|could|possibly|probably"
    r"|likely|suspected|suspicion|believed)\b",
    re.IGNORECASE,
)
# "appears to be", "may have been": the hedge is on what follows, which the claim may word otherwise.
_TOO_COMMON = frozenset({"be", "been", "being", "have", "had", "has", "do", "done"})


def kept_hedge(claim: str, quote: str) -> str:
    """The claim with the hedge its quote puts on a verb the claim repeats word for word."""
    if _ANY_HEDGE.search(claim):
        return claim
    for match in _HEDGED_VERB.finditer(quote):
        verb = match.group("verb")
        if verb.lower() in _TOO_COMMON:
            continue
        found = re.search(rf"\b{re.escape(verb)}\b", claim)
        if found:
            return claim[:found.start()] + match.group("hedge").lower() + claim[found.start():]
    return claim
