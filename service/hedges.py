"""A passage's doubt stays on the claim: "the thieves appear to have entered through a skylight" is
not "the thieves entered through a skylight", and "allegedly stole" is not "stole". So does its
future: "Lumatek will restart two production lines on Monday" is not "Lumatek restarted" them. And
a proposal is no fact: "proposed closing Linwood Elementary" does not support "Linwood Elementary is
closing" (`states_a_proposal`; such a sentence is not verified).

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


# What someone proposes, as a passage writes it: "proposed closing Linwood Elementary", "is
# considering raising fares". A plan ("plans to hire") is a future, which `kept_future` keeps.
_PROPOSED = re.compile(r"\b(?:propos\w*|consider\w*|weigh\w*)\s+(?:(?P<gerund>[a-z]+?)ing|to\s+(?P<verb>[a-z]+?)e?)\b",
                       re.IGNORECASE)
_ANY_PROPOSAL = re.compile(r"\b(propos\w*|consider\w*|weigh\w*|plans?|planned|planning|would|could|may|might|vote)\b",
                           re.IGNORECASE)


def states_a_proposal(claim: str, quote: str) -> bool:
    """Whether the claim states as happening what its quote only proposes: "Linwood Elementary is
    closing at the end of the school year" over "The school board proposed closing Linwood
    Elementary at the end of the school year". Every word but the proposal is in the passage, so
    word support alone passes it; the vote that would decide it had not been taken."""
    if _ANY_PROPOSAL.search(claim):
        return False
    for match in _PROPOSED.finditer(quote):
        act = (match.group("gerund") or match.group("verb")).lower()
        if len(act) < 3 or act in _TOO_COMMON:
            continue
        # "is closing", "will close", "closes", "closed": the act the quote proposes, stated.
        if re.search(rf"\b{re.escape(act)}(?:e|es|ed|ing|s|d)?\b", claim, re.IGNORECASE):
            return True
    return False
