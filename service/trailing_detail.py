"""Shorter readings of an unsupported answer sentence: its trailing detail cut off.

A small model often gets the answer right and then adds a detail the passage never gave: "the
forum took place in Davos, Switzerland, from January 19 to January 23, 2026", "has hosted the
Winter Olympics four times: in 1960, 1980, 2002 and 2034". The invented dates sink the whole
sentence and a correct answer with it. The verifier may instead keep the sentence without its
tail, but only where the tail adds detail (a list after a colon, a phrase opened by a
preposition or a parenthesis) and never where it could qualify the claim ("unless ...",
"but ..."): what is kept must still be supported on its own, as any sentence is.
"""

from __future__ import annotations

import re

# Where a trailing detail begins: a colon, a parenthesis, or a comma or space before a preposition
# that opens a phrase of time, place or manner.
_DETAIL_START = re.compile(
    r"\s*:\s+|\s+\(|,?\s+(?=(?:from|on|in|at|between|during|since|by|after|before|including|with|for|"
    r"through|until|near|across|around)\b)"
)
# A kept part this short says too little to stand as an answer sentence.
MIN_KEPT_WORDS = 5
# A tail that turns on one of these may qualify or reverse the claim: it is never cut.
_QUALIFIERS = re.compile(r"\b(not|no|never|unless|if|but|except|although|though|without|only|nor)\b", re.I)


def without_trailing_detail(sentence: str) -> list[str]:
    """The sentence cut before each trailing detail, longest first, each ending in a full stop.

    Empty when nothing may be cut."""
    body = sentence.rstrip().rstrip(".!?")
    cuts = []
    for match in _DETAIL_START.finditer(body):
        kept, tail = body[: match.start()].rstrip(" ,;"), body[match.start() :]
        # "would pass, but not| before 2029": a qualifier in the kept clause may govern the tail.
        last_clause = re.split(r"[,;]\s", kept)[-1]
        if len(kept.split()) < MIN_KEPT_WORDS or _QUALIFIERS.search(tail) or _QUALIFIERS.search(last_clause):
            continue
        if kept.count("(") != kept.count(")") or kept.count('"') % 2:
            continue  # a cut inside brackets or a quotation would leave it open
        cuts.append(f"{kept}.")
    return sorted(set(cuts), key=len, reverse=True)
