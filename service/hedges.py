"""A passage's doubt stays on the claim: "the thieves appear to have entered through a skylight" is
not "the thieves entered through a skylight", and "allegedly stole" is not "stole". So does its
future: "Lumatek will restart two production lines on Monday" is not "Lumatek restarted" them.

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


# What has not happened yet, as a passage writes it: "will restart", "plans to open", "is expected to reach".
_FUTURE_VERB = re.compile(
    r"\b(?P<future>will|would|(?:plans?|planned|intends?|intended|aims?|aimed|hopes?|hoped) to"
    r"|(?:is|are|was|were) (?:scheduled|expected|set|due|poised|likely|going) to) (?P<verb>[a-z]+)\b",
    re.IGNORECASE,
)
# A claim that already says it is to come keeps its own wording.
_ANY_FUTURE = re.compile(
    r"\b(will|would|shall|plans?|planned|intends?|aims?|hopes?|scheduled|expected|set to|due to|going to|to be|next"
    r"|upcoming|later|soon)\b",
    re.IGNORECASE,
)


def _past_forms(verb: str) -> list[str]:
    """Regular past forms of a base verb: restart -> restarted, close -> closed, plan -> planned."""
    forms = [f"{verb}d"] if verb.endswith("e") else [f"{verb}ed", f"{verb}{verb[-1]}ed"]
    return forms + ([f"{verb[:-1]}ied"] if verb.endswith("y") else [])


def kept_future(claim: str, quote: str) -> str:
    """The claim with its quote's future put back on a verb the claim gives in the past tense."""
    if _ANY_FUTURE.search(claim):
        return claim
    for match in _FUTURE_VERB.finditer(quote):
        verb = match.group("verb").lower()
        if verb in _TOO_COMMON or len(verb) < 3:
            continue
        for past in _past_forms(verb):
            if re.search(rf"\b{re.escape(past)}\b", quote, re.IGNORECASE):
                continue  # "the museum, which opened in 1990, will open a gallery": both are the passage's
            found = re.search(rf"\b{re.escape(past)}\b", claim, re.IGNORECASE)
            if found:
                return f"{claim[:found.start()]}{match.group('future').lower()} {verb}{claim[found.end():]}"
    return claim
