"""Writing a claim's credit: who the text supporting it credits, and "According to X, ..." as shown.

`claimants` decides whether a credit is right; this module writes one. A verified sentence names
who makes its claim (a speaker the source sentence names, a group it credits by what it is, or
else the outlet), never "the articles" or "the first source".
"""

from __future__ import annotations

import re

from service.domain import Passage
from service.text import NOT_NAMES, SPELLED_NUMBERS

# Who a verified sentence is credited to, as shown: "According to <speaker or outlet>, ...".
_VAGUE_SOURCE = re.compile(
    r"^(?:(?:according to|based on|as reported (?:by|in)) (?:the (?:news |provided |given |first |second |third "
    r"|fourth |fifth |last |same |above |cited )?(?:articles?|sources?|reports?|passages?|text|context)"
    r"|(?:source|article|passage) \[?\d+\]?)\s*,?"  # "According to the first source", "According to source 2"
    # "The article says that ...": as vague, and the verb would keep it from being credited.
    r"|the (?:news |provided |given )?(?:articles?|sources?|passages?|text) (?:also )?"
    r"(?:says?|said|states?|stated|notes?|noted|mentions?|mentioned|reports?|reported)(?: that)?,?)\s*",
    re.IGNORECASE,
)
ATTRIBUTION_CUES = re.compile(
    r"\baccording to\b|\b(said|says|say|told|stated|claimed|claims|argued|argues|wrote|writes|reported|"
    r"reports|announced|added|warned|insisted|accused|dismissed|confirmed|noted)\b",
    re.IGNORECASE,
)
_SPEAKER = re.compile(
    r"(?:according to|said|says|stated|told)\s+(?:the\s+)?((?:[A-Z][\w.'’-]+\s+(?:&\s+)?){0,4}[A-Z][\w.'’-]+)"
    r"|((?:[A-Z][\w.'’-]+\s+(?:&\s+)?){0,3}[A-Z][\w.'’-]+)\s+(?:said|says|stated|told|argued|claimed|wrote)\b"
)
# "City officials estimate ...", "Residents say ...", "Analysts warned ...": a group credited by what
# it is, not by name, opening the sentence. Not "Losses estimated at 5 million" or "Prices expected to
# rise" (no one makes a claim).
_GROUP_SPEAKER = re.compile(
    r"^(?:(?:but|and|yet|still|now|meanwhile)\s+)?(?:the\s+)?((?:[\w'’-]+\s+){0,3}?"
    r"(?!(?:has|is|was|as|always|its|it's|this|thus|perhaps|us|his|does|also)\b)(?:[\w'’-]+s|police|people|staff))"
    r"\s+(?:say|said|estimate|estimated|warn|warned|believe|believed|expect|expected|predict|predicted|argue"
    r"|argued|claim|claimed|fear|feared|allege|alleged|insist|insisted|told)\b(?!\s+(?:at|to|by)\b)",
    re.IGNORECASE,
)
# "He has said", "Their lawyers argued": who these are is in another sentence, so the outlet is credited.
_REFERS_BACK = frozenset({"He", "She", "It", "They", "We", "I", "You", "This", "That", "These", "Those", "There",
                          "Its", "Their", "His", "Her", "Our", "My", "Your"})
_OPINION_TITLE = re.compile(r"\b(opinion|column|editorial|commentary|comment|analysis|op-ed)\b", re.I)


# Who speaks for a place or a body named before them: "Texas health authorities", "Harborview police".
_NAMED_GROUP = re.compile(r"(?:\s+[a-z]+){0,2}?\s+(?:officials|authorities|police|officers|spokes(?:person|man|woman)"
                          r"|researchers|scientists|prosecutors|lawmakers|leaders|investigators|regulators)\b")


def speaker_of(quote: str, passage: Passage) -> str:
    """Who the supporting text credits: a named speaker, else the outlet itself."""
    match = _SPEAKER.search(quote)
    # "It said", "They told": a pronoun names no one, and the outlet is who reports it.
    if match and (match.group(1) or match.group(2)).strip() not in NOT_NAMES:
        speaker = (match.group(1) or match.group(2)).strip()
        # "according to Vice President JD Vance's office": the office is the speaker, not "Vance's".
        owned = re.match(r"\s+([a-z][\w-]*)", quote[match.end() :]) if re.search(r"['’]s$", speaker) else None
        if owned:
            speaker = f"{speaker} {owned.group(1)}"
        # "according to Texas health authorities": the authorities speak, not the state.
        elif match.group(1) and (group := _NAMED_GROUP.match(quote[match.end() :])):
            speaker = f"{speaker}{group.group(0).rstrip('.,')}"
        last = speaker.split()[-1]
        # The sentence's own full stop ("... said Hana Kowalczyk.") is no part of the name; "U.S." keeps its.
        speaker = re.sub(r"^The\s", "the ", speaker)  # "According to the Tenants Union"
        return speaker[:-1] if last.endswith(".") and "." not in last[:-1] else speaker
    # A quotation's own words open with no speaker: '"Making people fear all that is wrong," she said.'
    group = _GROUP_SPEAKER.match(quote.lstrip())
    if group and (first := group.group(1).split()[0]).capitalize() not in _REFERS_BACK:
        speaker = group.group(1)
        # "Residents" and "Some experts" read lower-cased after "According to"; "City officials" may be
        # a name's, so stays as written.
        return speaker[:1].lower() + speaker[1:] if " " not in speaker or first in NOT_NAMES else speaker
    kind = " (opinion)" if _OPINION_TITLE.search(passage.chunk.title) else ""
    return f"{passage.chunk.source}{kind}"


def without_vague_source(sentence: str) -> str:
    """The claim without a credit that names no one ("According to the articles, ...", "According to
    the first source, ...", "The article says that ...")."""
    vague = _VAGUE_SOURCE.match(sentence)
    if vague and sentence[vague.end() :]:
        rest = sentence[vague.end() :]
        return rest[0].upper() + rest[1:]
    return sentence


def attribute(sentence: str, speaker: str, quote: str) -> str:
    """The sentence credited to who said it, unless it already credits someone. The caller has
    dropped a vague credit ("According to the articles", `without_vague_source`) first."""
    if ATTRIBUTION_CUES.search(sentence):
        return sentence
    return credited_to(speaker, sentence, quote)


# Sentence openers that are never names: "No one died" reads "According to X, no one died", "On
# Tuesday, ..." reads "According to X, on Tuesday, ...".
_OPENERS = frozenset({"No", "Nobody", "None", "Nothing", "Neither", "Nor", "Yes", "On", "In", "At", "For", "By", "From",
                      "During", "After", "Before", "With", "As", "When", "While", "Since", "There", "Despite", "Under",
                      "Last", "Earlier", "Later", "Today", "Yesterday"})


# No name alone ("the mayor said"), but a title before one: "According to X, Mayor Teresa Halvorsen ...".
_TITLES = frozenset({"Mayor"})


def credited_to(speaker: str, claim: str, source: str) -> str:
    """"According to <speaker>, <claim>", the claim's first word lower-cased when the source writes
    it so (a name keeps its capital) and it does not open a name ("Storm Petra was ...")."""
    # "Yes, two men were arrested": the reply stays first, "Yes, according to X, two men ...".
    reply = re.match(r"(Yes|No),\s+", claim)
    if reply:
        credited = credited_to(speaker, claim[reply.end() :], source)
        return f"{reply.group(1)}, {credited[:1].lower()}{credited[1:]}"
    first, _, rest = claim.partition(" ")
    figure = first.split("-")[0] in SPELLED_NUMBERS  # "Twenty-five ships"
    titled = first in _TITLES and rest[:1].isupper()
    if not titled and ((first.lower() in source and not rest[:1].isupper()) or first in NOT_NAMES | _OPENERS or figure):
        first = first.lower()
    return f"According to {speaker}, {first} {rest}".strip()

