"""A claim credited anew: to whom its passage credits it, when the answer's credit is wrong.

The verifier finds the claim in a passage; these functions say who the passage gives it to, for
the two ways a small model gets that wrong: another speaker ("According to the National Weather
Office, one storm does not end a drought", said by the water board's chair), and a claimant who
is only what the claim is about ("According to the state, the state will provide ...", said by
the outlet in its own voice). The caller verifies the result like any other sentence.
"""

from __future__ import annotations

import re

from service.claimants import (
    ATTRIBUTION,
    CREDITED,
    SPEECH,
    claim_holders,
    distinctive_words,
    names_a_speaker,
    opening_claimant,
    split_claimant,
)
from service.crediting import credited_to
from service.text import (
    CALENDAR_WORDS,
    NOT_NAMES,
    content_words,
    opens_a_quote,
    sentence_spans,
)

# "said this about the port deal" is no claim to hand to anyone.
MIN_CLAIM_WORDS = 3
# "a meteorologist at the National Weather Office, Storm Petra was ...": the wrong claimant's title,
# which must not pass to the right one.
_APPOSITIVE = re.compile(r"^(?:a|an|the)\s[^,]{1,80},\s*")


def reattributed(sentence: str, passage_text: str) -> str | None:
    """A misattributed sentence credited instead to whom the passage credits it, or None.

    Asked who said "One storm does not end a drought", a small model writes "According to the
    National Weather Office, one storm does not end a drought" beside a passage that reads '"One
    storm does not end a drought," said board chair Harriet Lowe.' The claim is the passage's and
    only its speaker is wrong: "According to Harriet Lowe, one storm does not end a drought." Only
    when one passage sentence holds the claim and names its speaker (or closes the quotation the
    holder opens); the caller verifies the result like any other sentence."""
    claimant, body = split_claimant(sentence)
    body = re.sub(r"^that\s+", "", _APPOSITIVE.sub("", body).strip())
    # "The US Postal Service said it could run out of cash": once the credit moves to the passage's
    # speaker, "it" would name no one, so the claim names what it stood for.
    opener = opening_claimant(sentence)
    if opener and _OPENING_PRONOUN.match(body):
        body = _named(body, opener)
    claim = content_words(body)
    # A claim that names its own speaker ("the fire chief said Priya Sandoval said ...") is not
    # one to hand to another.
    if not claimant or len(claim) < MIN_CLAIM_WORDS or names_a_speaker(body):
        return None
    spans = [passage_text[start:end] for start, end, _ in sentence_spans(passage_text)]
    holders = claim_holders(claim, spans)
    if len(holders) != 1:
        return None
    (i,) = holders
    credited = [match.group(1) or match.group(2) for span in spans[i : i + 2 if opens_a_quote(spans[i]) else i + 1]
                for match in CREDITED.finditer(span)]
    # "said on Thursday that ..." credits no one called Thursday.
    speakers = [name for name in credited if any(w not in NOT_NAMES and w.lower() not in CALENDAR_WORDS for w in name.split())]
    speaker = speakers[0] if speakers else None
    if not speaker or distinctive_words(speaker) & claimant:
        return None
    return credited_to(re.sub(r"^The\s", "the ", speaker), body, passage_text)



_ACCORDING_TO = re.compile(r"\baccording to ([^,.;]+)", re.I)


def _credits(text: str, claimant: set[str]) -> bool:
    """The text credits the claimant as a speaker ("Governor Ames said", "the state said", "according
    to the committee"), or someone of theirs ("Neil Cardew, director of the Property Owners
    Association, said")."""
    credited = [m.group(0) for m in CREDITED.finditer(text)] + _ACCORDING_TO.findall(text)
    if any(word in name.lower() for name in credited for word in claimant):
        return True
    return any(re.search(rf"(?i)\b{re.escape(word)}\w*\s+(?:\w+\s+){{0,2}}?{SPEECH}\b|\b{SPEECH}\s+(?:\w+\s+){{0,3}}?"
                         rf"{re.escape(word)}", text) for word in claimant)


def circular(sentence: str, passage_text: str, title: str = "") -> str | None:
    """The claim without its claimant, when the claimant is only what the claim is about.

    "According to the housing committee, Councillor Priyanka Dhar chairs the housing committee",
    beside a passage that says so in its own voice: the claimant's words are found in the passage
    only because the claim holds them. When every claimant word is in the claim or in the passage
    sentences that hold it ("According to the Gulls' match, the match was moved") and no passage
    sentence holding the claim credits the claimant as a speaker (nor the sentence before, nor the
    one closing a quotation it opens), the claim is returned for the verifier to credit to whom the
    passage does. The passage's title counts as what it is about: "According to the Harborview Film
    Festival, tickets go on sale on March 6", beside a festival story that says so in its own voice.
    None otherwise."""
    match = ATTRIBUTION.match(sentence)
    if not match:
        return None
    claimant, body = distinctive_words(match.group(1)), sentence[match.end() :]
    if not claimant:
        return None
    spans = [passage_text[start:end] for start, end, _ in sentence_spans(passage_text)]
    holders = claim_holders(content_words(body), spans)
    # "According to the Harborview Gulls' home match against Eastbrook Rovers, the match has been
    # moved": the claimant is the subject of the passage's sentence, cut off the claim.
    about = distinctive_words(f"{body} {title}").union(*(distinctive_words(spans[i]) for i in holders))
    if not holders or not claimant <= about:
        return None
    for i in holders:
        if _credits(spans[i], claimant) or (opens_a_quote(spans[i]) and i + 1 < len(spans) and _credits(spans[i + 1], claimant)):
            return None
        if i > 0 and not names_a_speaker(spans[i]) and _credits(spans[i - 1], claimant):
            return None
    # "According to the water board, they imposed ...": credited to the outlet, "they" would name no one.
    if _OPENING_PRONOUN.match(body):
        article = "the " if sentence[: match.start(1)].lower().endswith("the ") else ""
        return _named(body, article + match.group(1))
    return body[:1].upper() + body[1:]


# A claim opening with the pronoun its claimant's credit stood behind: "[The union said] it would ...".
_OPENING_PRONOUN = re.compile(r"^(?:it|he|she|they)\s+")


def _named(body: str, claimant: str) -> str:
    """The claim with its opening pronoun ("it", "they") replaced by the claimant it stood for."""
    return re.sub(r"^The\s", "the ", claimant.strip()) + " " + _OPENING_PRONOUN.sub("", body, count=1)
