"""Who is asked about: "What did X say ...?" is not answered by what the articles credit to Y.

One of `question_focus`'s checks. The source sentence's word outweighs the answer's, since a small
model copies the asked claimant from the question into its answer ("Mayor Halvorsen warned ...")
over a source sentence whose speaker is someone else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from service.claimants import ATTRIBUTION, CREDITED, SPEECH
from service.text import CALENDAR_WORDS, NOT_NAMES, words

# "What did Castellan spokesperson Gareth Penhallow estimate ...": the one whose claim is asked for.
_ASKED_CLAIMANT = re.compile(
    r"\b(?:did|does|do|has|have)\s+((?:[\w.'’-]+\s+){0,5}?[A-Z][\w'’-]+)\s+"
    r"(?:say|said|estimate|warn|confirm|claim|predict|argue|expect|tell|announce|describe|call|think|propose"
    r"|blame|report|promise|pledge|deny)\b"
    r"|\baccording to ((?:[\w.'’-]+\s+){0,5}?[A-Z][\w'’-]+)",
)
# "What did the mayor say about the deal?": someone asked for by a role, which the source sentence
# of an answer about them names too ("Mayor Teresa Halvorsen said"). Answered "According to Viktor
# Ambrose, ..." from "Castellan chief executive Viktor Ambrose said", it gave the company's words.
_PERSON_ROLES = ("mayor", "governor", "president", "senator", "councillor", "councilman", "councilwoman",
                 "minister", "superintendent", "chief", "chair", "spokesperson", "spokesman", "spokeswoman",
                 "mediator", "judge", "inspector", "director", "economist", "meteorologist", "detective")
_ASKED_ROLE = re.compile(
    rf"\b(?:did|does|do|has|have)\s+(?:the|a|an)\s+(?:[a-z'’-]+\s+){{0,3}}?({'|'.join(_PERSON_ROLES)})\s+"
    r"(?:say|said|estimate|warn|confirm|claim|predict|argue|expect|tell|announce|describe|call|think|propose"
    r"|blame|report|promise|pledge|deny)\b",
)
# "What did the mayor say this week?" asks for someone's words: a fact about the mayor ("Mayor Teresa
# Halvorsen is expected to sign the budget this week") is no answer, however well it is supported.
_ASKED_WORDS = re.compile(
    r"\bwhat\s+(?:did|does|has|have|had)\s+((?:[\w.'’-]+\s+){0,5}?[\w'’-]+)\s+(?:say|said|tell|told)\b", re.I
)
# Acts of speech besides claimants.SPEECH: "rejected the offer" answers what the union said of it.
# A column's first person is its author speaking: "In my view, Monday's vote ... is the best thing
# the council has done" is what the columnist said.
_SPOKEN = re.compile(
    rf"\b{SPEECH}\b|[\"“”]|(?-i:\bI\b)|\b(?:my|in our view)\b|\b(?:tells|stated|noted|described|insisted|urged|asked|responded|replied|welcomed"
    r"|rejected|critici[sz]ed|praised|accused|promised|pledged|vowed|acknowledged|admitted|explained|suggested"
    r"|recommended|demanded|questioned|disputed|agreed|dismissed|defended|apologi[sz]ed|thanked|announcing"
    r"|saying|telling)\b",
    re.I,
)
_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]+(?:\([^)]*\))?\s*[-–—]\s*")


_DOMAIN_PARTS = frozenset({"www", "com", "org", "net", "co", "uk", "gov", "edu", "example"})


def outlet_name(outlet: str) -> str:
    """harborview-herald.example -> "herald", cnn.com -> "cnn": not "harborview", the city it covers."""
    parts = [w for w in re.split(r"[-.]", outlet.lower()) if w and w not in _DOMAIN_PARTS]
    return parts[-1] if parts else ""


def name_words(phrase: str) -> list[str]:
    """Capitalised words that name someone: not "Thursday" in "Castellan said Thursday"."""
    return [w for w in words(phrase) if w and w[0].isupper() and w not in NOT_NAMES and w.lower() not in CALENDAR_WORDS]


def claimant_gap(
    part: str, kept: Sequence[str], sources: Sequence[str] = (), outlets: Sequence[str] = ()
) -> str | None:
    """Asked what X said, what the kept sentences lack when the articles credit it to someone else.
    sources: the passage sentences the kept ones quote; outlets: the outlets of the passages they cite."""
    match = _ASKED_CLAIMANT.search(part)
    if not match:
        return _role_gap(part, sources)
    asked = name_words(match.group(1) or match.group(2))
    if not asked:
        return None
    surname = asked[-1].lower()
    # "What did the Herald report ...": an outlet reports what others say, so its own passage answers.
    if surname in {outlet_name(outlet) for outlet in outlets}:
        return None
    # The source's word outweighs the answer's: "Mayor Halvorsen warned ..." copied from a sentence
    # whose speaker is Councillor Abernathy answers nothing about the mayor, nor does a figure the
    # answer credits to the outlet but the source sentence to the chamber's president. A speaker's
    # organisation counts ("Castellan spokesperson Tobias Wren said" for "what did Castellan say").
    source_credits = [c for quote in sources for c in _credits(quote)]
    if source_credits and not any(surname in quote.lower() for quote in sources):
        return f"what {' '.join(asked[-2:])} said (the articles credit it to {_speaker(source_credits[0])})"
    naming = [quote for quote in sources if surname in quote.lower()]
    others = [speaker for quote in naming if (speaker := _reported_by_another(surname, quote))]
    if naming and len(others) == len(naming):
        return f"what {' '.join(asked[-2:])} said (the articles credit it to {others[0]})"
    credited: list[str] = []
    for sentence in kept:
        credited += [m.group(1) for m in ATTRIBUTION.finditer(sentence)]
        credited += _credits(sentence)
    credited = [c for c in credited if name_words(c)]
    if credited:
        if any(surname in c.lower() or _titled_in(c, naming) for c in credited):
            return None
        return f"what {' '.join(asked[-2:])} said (they credit it to {_speaker(credited[0])})"
    # Credited to no one by name: the speaker may sit in the sentence before ("she said").
    return None


def _titled_in(credit: str, naming: Sequence[str]) -> bool:
    """Whether the answer credits, by title alone, the person a source sentence gives that title:
    "According to the Chamber of Commerce president" over "Lydia Marchetti, president of the
    Harborview Chamber of Commerce, estimated". Every word of the credit must be in the sentence
    that names the asked person, and one of them must be a role."""
    credit_words = {w.lower() for w in words(credit)} - {"according", "to", "the", "a", "an", "of"}
    if not credit_words & set(_PERSON_ROLES):
        return False
    return any(credit_words <= {w.lower() for w in words(quote)} for quote in naming)


def _role_gap(part: str, sources: Sequence[str]) -> str | None:
    """Asked what "the mayor" said, the gap when every source sentence credits someone by name and
    none says "mayor"."""
    role = _ASKED_ROLE.search(part)
    if not role or not sources:
        return None
    credits = [_credits(quote) for quote in sources]
    if not all(credits) or any(role.group(1) in quote.lower() for quote in sources):
        return None
    return f"what the {role.group(1)} said (the articles credit it to {_speaker(credits[0][0])})"


def _reported_by_another(surname: str, quote: str) -> str | None:
    """Who reports what the asked claimant did, when it is someone else: "The leader of the striking
    dockworkers said on Thursday that Castellan had raised its offer" is the leader's claim about
    Castellan, not what Castellan confirmed."""
    speech = re.search(rf"\b{SPEECH}\b", quote)
    if not speech or surname in quote[: speech.start()].lower():
        return None
    after = quote[speech.end() :]
    inverted = re.match(r"\s+(?:[a-z]+\s+){0,3}((?:[A-Z][\w'’-]*\s*)+)", after)  # "said spokesperson Tobias Wren"
    if (inverted and surname in inverted.group(1).lower()) or surname not in after.lower():
        return None
    # "HARBORVIEW (Coastal Wire) - The leader of ...": the dateline is no part of who speaks.
    reporter = _DATELINE.sub("", quote[: speech.start()]).strip().rstrip(",")
    return reporter or None


def _credits(sentence: str) -> list[str]:
    """Who a sentence credits by name: "Marisol Quintero, president of the union, said" whole."""
    return [m.group(0) for m in CREDITED.finditer(sentence) if name_words(m.group(0))]


def _speaker(credit: str) -> str:
    """"Lydia Marchetti, president of the Chamber, estimated" -> "Lydia Marchetti"; "Harborview Power
    & Light" and "the Chamber of Commerce" are named whole."""
    head = credit.split(",")[0]
    named = set(name_words(head))
    tokens = re.findall(r"[\w'’.-]+|&", head)
    at = [i for i, token in enumerate(tokens) if token.strip(".") in named]
    speaker = " ".join(tokens[at[0] : at[-1] + 1]) if at else ""
    # The sentence's own full stop ("said Tobias Wren.") is no part of the name; "U.S." keeps its.
    return speaker[:-1] if speaker.endswith(".") and "." not in speaker.split()[-1][:-1] else speaker


def words_gap(part: str, kept: Sequence[str], sources: Sequence[str] = ()) -> str | None:
    """Asked what someone said, what the kept sentences lack when no sentence they rest on gives
    anyone's words (no verb of speech, no quotation). sources: the passage sentences they quote."""
    match = _ASKED_WORDS.search(part)
    if not match or not sources or any(_SPOKEN.search(sentence) for sentence in sources):
        return None
    return f"what {match.group(1)} said"
