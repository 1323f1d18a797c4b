"""Who claims what: a sentence may not credit a claim to someone the passage did not give it to.

News on contested matters carries rival figures side by side: "City officials estimate the cap
would cover about 38,000 homes. The Tenants Union says the true figure is closer to 45,000." A
small model writes "According to the Tenants Union, the cap would cover about 38,000 homes": every
word is in the passage, so word overlap calls it supported, yet it puts the city's figure in the
union's mouth. Saying who claims what is the point of attribution, so such a sentence is dropped.
The same holds without a figure: "Mayor Halvorsen warned that the borrowing would crowd out
schools", when the sentence that warns is Councillor Abernathy's (hard set h041).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from service.text import (
    NOT_NAMES,
    content_words,
    names,
    numbers,
    opens_a_quote,
    sentence_spans,
)

# "According to X," anywhere; `match` finds it as a sentence's opening.
ATTRIBUTION = re.compile(r"\bAccording to (?:the )?([^,]+),\s*")
SPEECH = r"(?:said|says|estimated|estimates|warned|warns|confirmed|told|argued|argues|claimed|claims|predicted|proposed" \
         r"|announced|denied|reported|added|wrote|called)"
# Who a sentence credits by name: "Marisol Quintero, president of the union, said", "said Tobias Wren".
# "Dr. Yusuf Adair", "Harborview Power & Light", "the Harborview Chamber of Commerce"
_NAME = r"[A-Z][\w'’-]*(?:\.(?=\s+[A-Z]))?(?:\s+(?:&\s+|of\s+(?:the\s+)?)?[A-Z][\w'’-]*(?:\.(?=\s+[A-Z]))?)*"
CREDITED = re.compile(rf"\b({_NAME})(?:,[^,]{{1,60}},)?\s+{SPEECH}\b|\b{SPEECH}\s+(?:[a-z]+\s+){{0,3}}({_NAME})")
# "Mayor Teresa Halvorsen warned that ...": a claimant opening the sentence with a verb of speech.
_OPENING_SPEAKER = re.compile(rf"^((?:[A-Z][\w.'’-]*\s+){{0,4}}[A-Z][\w'’-]+)(?:,[^,]{{1,60}},)?\s+{SPEECH}\b\s*")
# "The board inspector leading the investigation said the two lines ...": a speaker named by role
# opens the sentence. Read as CREDITED reads "said union leader Mara Olsen", it would credit the
# claim to "Lumatek" in "said the two lines Lumatek was allowing ...".
_OPENING_ROLE = re.compile(rf"^(?:the|an?)\s+((?:[\w'’-]+\s+){{0,6}}?[\w'’-]+)\s+{SPEECH}\b\s*", re.IGNORECASE)
# An opinion piece's author line: "Leonard Vance is a columnist for The Open Column."
_AUTHOR_LINE = re.compile(rf"(?:^|[.!?\n]\s*)({_NAME}) is an? (?:[a-z]+ ){{0,2}}(?:columnist|writer|contributor|commentator|editor)\b")
# Without a figure to follow, the claim is held by the passage sentence most of its words come from.
MIN_HOLDER_OVERLAP = 0.5
# Words of a claimant's name that say nothing about which claimant it is. "The company", "the
# budget", "the report" refer back to the story's subject: "According to the company, Lumatek
# reported revenue of 812 million dollars" was dropped because "the company said" was elsewhere.
_GENERIC = frozenset({"the", "of", "and", "for", "city", "columnist", "president", "chair", "mayor", "officials",
                      "company", "firm", "budget", "report", "reports", "article", "articles", "statement",
                      "data", "figures", "plan", "source", "sources", "passage", "passages", "text", "context",
                      "news", "provided", "given", "information", "councillor", "councilman", "councilwoman",
                      "senator", "governor", "minister", "spokesperson", "spokesman", "spokeswoman", "chief",
                      "executive", "director", "professor", "secretary", "leader", "head", "economist",
                      # "According to the first source": which source, not who
                      "first", "second", "third", "fourth", "fifth", "last", "same", "above", "cited"})


def claimant_words(sentence: str) -> set[str]:
    """The distinctive words of the "According to X," or "X said" claimant, lower-cased; empty when none."""
    return split_claimant(sentence)[0]


def split_claimant(sentence: str) -> tuple[set[str], str]:
    """The claimant's distinctive words, and the claim without its claimant (what the passage must hold)."""
    match = ATTRIBUTION.match(sentence)
    if match:
        claimant, sentence = distinctive_words(match.group(1)), sentence[match.end() :]
        if claimant:
            return claimant, sentence
        # "According to the article, Councillor Dhar warned ...": the article names no one; Dhar is the claimant.
    match = _OPENING_SPEAKER.match(sentence)
    if match:
        return distinctive_words(match.group(1)), sentence[match.end() :]
    return set(), sentence


def credited_claim(sentence: str) -> tuple[set[str], str]:
    """As `split_claimant`, and also for a speaker inside the sentence: "The latest is that union
    leader Marisol Quintero said the strike is a warning we keep ignoring" credits the claim after
    "said" to her; "..., said Tobias Wren" the claim before it."""
    claimant, body = split_claimant(sentence)
    if claimant:
        return claimant, body
    role = _OPENING_ROLE.match(sentence)
    if role and distinctive_words(role.group(1)):
        return distinctive_words(role.group(1)), sentence[role.end() :]
    credit = CREDITED.search(sentence)
    if not credit:
        return set(), sentence
    if credit.group(1):
        return distinctive_words(credit.group(1)), sentence[credit.end() :]
    return distinctive_words(credit.group(2)), sentence[: credit.start()]


def distinctive_words(claimant: str) -> set[str]:
    words = {w.lower().removesuffix("'s") for w in re.findall(r"[\w'-]+", claimant)}
    return {w for w in words - _GENERIC if len(w) > 2 and "." not in w}


def opening_claimant(sentence: str) -> str | None:
    """Who opens the sentence saying it, as written: "The US Postal Service" of "The US Postal
    Service said it could run out of cash"; None when no name does."""
    match = _OPENING_SPEAKER.match(sentence)
    return match.group(1) if match else None


def opening_speaker(sentence: str) -> set[str]:
    """The distinctive words of who opens the sentence saying it ("Superintendent Celia Marsh said ...",
    "The union leader warned ..."); empty when none does ("The proposed cap would cover ...")."""
    for opening in (_OPENING_SPEAKER, _OPENING_ROLE):
        match = opening.match(sentence)
        if match and distinctive_words(match.group(1)):
            return distinctive_words(match.group(1))
    return set()


def names_a_speaker(sentence: str) -> bool:
    """True when the sentence credits someone by name ("Ruth Abernathy ... warned"), not "She said"."""
    return any(
        any(word not in NOT_NAMES for word in (match.group(1) or match.group(2)).split())
        for match in CREDITED.finditer(sentence)
    )


def claim_holders(claim: set[str], spans: list[str]) -> list[int]:
    """The sentences (of spans) that hold the most of the claim's content words, when they hold at
    least half of them; none otherwise."""
    overlaps = [len(claim & content_words(text)) / max(len(claim), 1) for text in spans]
    best = max(overlaps, default=0.0)
    return [i for i, overlap in enumerate(overlaps) if overlap == best] if best >= MIN_HOLDER_OVERLAP else []


def misattributed(sentence: str, passage_text: str, outlet: str = "") -> bool:
    """True when the sentence credits a claim (one of its figures, or else its words) to a
    claimant the passage names, but every passage sentence that holds it is silent about that
    claimant; the sentence before counts for "she said", not when the holder names its own speaker."""
    lowered = passage_text.lower()
    # Only the claimant's words the passage uses can be looked for; the outlet reports everything.
    claimant_named, body = credited_claim(sentence)
    claimant = {w for w in claimant_named if w in lowered and w not in outlet.lower()}
    if not claimant:
        return False
    spans = [passage_text[start:end] for start, end, _ in sentence_spans(passage_text)]

    # A column's own words, the sentences that credit no one else, are its author's.
    authors = " ".join(m.group(1) for m in _AUTHOR_LINE.finditer(passage_text)).lower()

    def names_claimant(i: int) -> bool:
        # Any of the words will do: "Castellan said" names Castellan Port Services.
        if any(word in spans[i].lower() for word in claimant):
            return True
        if any(word in authors for word in claimant) and not names_a_speaker(spans[i]):
            return True
        # A quotation the sentence opens and does not close is credited where it closes:
        # '"There is a 6 percent offer on the table. It is not enough," Marisol Quintero ... said'.
        if opens_a_quote(spans[i]) and i + 1 < len(spans) and any(word in spans[i + 1].lower() for word in claimant):
            return True
        return i > 0 and not names_a_speaker(spans[i]) and any(word in spans[i - 1].lower() for word in claimant)

    figures = numbers(body)
    if figures:
        holders = [[i for i, text in enumerate(spans) if figure in numbers(text)] for figure in figures]
        return any(held and not any(names_claimant(i) for i in held) for held in holders)
    claim = content_words(body)
    if not claim:
        return False
    held = claim_holders(claim, spans)
    if not held:
        return True  # no sentence says it, so none says the claimant said it: words gathered from all over
    return not any(names_claimant(i) for i in held)


def credits_the_outlet(sentence: str, outlet: str) -> bool:
    """"According to the Valley Times, ..." or "According to valley-times.example, ..." from that outlet."""
    match = ATTRIBUTION.match(sentence)
    credit = re.sub(r"[^a-z0-9]", "", match.group(1).lower()) if match else ""
    return bool(credit) and credit in re.sub(r"[^a-z0-9]", "", outlet.lower())


# "..., while the Ledger counted more than 23,000": the claim sets a second source beside the first.
_ANOTHER_SOURCE = re.compile(r"\b(?:while|whereas|but|against)\s+(?:the\s+)?[A-Z]")


def stitched(sentence: str, passage_texts: Sequence[str], outlets: Sequence[str] = ()) -> bool:
    """True when a claim credited to one claimant draws a figure or name from a passage that never
    names them: two passages together hold "According to Mara Olsen, the route will cost 12 million
    dollars" when one names Olsen and the other gives the cost, yet nobody said both. A sentence that
    credits a second speaker in its claim, or names another of the outlets ("According to the Herald,
    the Coastal Wire's story did not give the 48 million"), compares sources and is left to `misattributed`."""
    claimant, body = credited_claim(sentence)  # "Union leader Mara Olsen said ...", not only at the start
    outlet_names = {w for outlet in outlets for w in re.split(r"[-.]", outlet.lower()) if len(w) > 3} - claimant
    if not claimant or CREDITED.search(body) or ATTRIBUTION.search(body) or _ANOTHER_SOURCE.search(body) \
            or names(body) & outlet_names:
        return False
    lowered = [text.lower() for text in passage_texts]
    names_claimant = [any(word in text for word in claimant) for text in lowered]
    for detail in numbers(body) | (names(body) - claimant):
        holders = [i for i, text in enumerate(passage_texts) if detail in numbers(text) or detail in lowered[i]]
        if holders and not any(names_claimant[i] for i in holders):
            return True
    return False


# The quotation a "Who said ..." question asks about, and an answer's "said this" standing for it:
# "this", "that" or "it" ends the clause or leads into "about/after/...", never "said that the ...".
_ASKED_QUOTE = re.compile(r'"([^"]{12,})"|\u201c([^\u201d]{12,})\u201d')
_SAID_THIS = re.compile(rf"\b({SPEECH}|say|says)\s+(this|that|it|these words|those words|the quote)"
                        r"(?=\s+(?:about|on|of|after|before|during|when|in|at|to)\b|\s*[.,;!]|\s*$)")


def with_asked_quote(sentence: str, question: str) -> str:
    """"Marisol Quintero said this about the deal", asked who said "We got respect", checked and
    shown as what it claims: 'Marisol Quintero said "We got respect" about the deal'. Unresolved,
    "said this about the port deal" is supported by any passage naming her near the deal, and the
    passage that does hold her words was taken to credit the deal's words to no one."""
    asked = _ASKED_QUOTE.search(question)
    if not asked or not re.match(r"\s*who\b", question, re.IGNORECASE):
        return sentence
    quote = (asked.group(1) or asked.group(2)).strip().rstrip(",")
    if quote.lower() in sentence.lower():
        return sentence
    return _SAID_THIS.sub(lambda m: f'{m.group(1)} "{quote}"', sentence, count=1)
