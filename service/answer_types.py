"""Does a verified answer give the kind of thing the question asks for?

The verifier checks that each sentence is supported by a passage, not that it answers the
question. A small model asked something the articles do not say tends to copy a nearby true
fact ("Kerrigan Marine declined to comment" for "how much did Kerrigan Marine bid?"). When a
question clearly asks for a number, a name or a time and the answer holds none, the honest
reply is a refusal. Questions of any other shape are not judged here.
"""

from __future__ import annotations

import re

from service.claimants import ATTRIBUTION

_NUMBER_QUESTION = re.compile(
    r"^(how (many|much|large|big|long|old|far|high|tall|deep)|by how much)\b"
    r"|\b(what|which) (price|percentage|share|figure|amount|score|population|margin|age|number|total)\b"
    r"|\bpopulation\b|\bscore\b|\bby what margin\b",
    re.IGNORECASE,
)
_NAME_QUESTION = re.compile(
    r"^who (is|was|are|were|won|directed|wrote|leads|led|will|painted|founded|owns|runs)\b"
    r"|\bwhat (is|are|was|were) the names?\b",
    re.IGNORECASE,
)
_TIME_QUESTION = re.compile(r"^when\b", re.IGNORECASE)

_NUMBER_WORDS = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty"
    r"|hundred|thousand|million|billion|trillion|dozen|half)\b",
    re.IGNORECASE,
)
_TIME_WORDS = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|december"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow|tonight"
    r"|week|month|year|spring|summer|autumn|fall|winter|morning|evening|night|noon|midnight)\b",
    re.IGNORECASE,
)
# Capitalised words that say nothing about who: sentence openers and titles.
_NOT_NAMES = {"According", "The", "A", "An", "He", "She", "They", "It", "I", "We", "This", "That", "Mayor"}
_CITATION = re.compile(r"\[\d+\]")


def expected_answer_type(question: str) -> str | None:
    """"number", "name", "time", or None when the question's shape says nothing firm."""
    text = question.strip()
    if _NUMBER_QUESTION.search(text):
        return "number"
    if _NAME_QUESTION.search(text):
        return "name"
    if _TIME_QUESTION.search(text):
        return "time"
    return None


def _has_new_name(answer: str, question: str) -> bool:
    """A capitalised word or code (H3N2) in the answer that the question did not already say."""
    asked = set(re.findall(r"\w+", question))
    # Who said it is not the answer: "According to St. Brigid's Hospital, ..." names no one asked for.
    body = ATTRIBUTION.sub("", answer)
    # Sentence-initial words are capitalised anyway; they do not count as names.
    candidates = re.findall(r"(?<![.!?]\s)(?<!^)\b(\w*[A-Z]\w*)\b", body)
    return any(word not in asked and word not in _NOT_NAMES for word in candidates)


def gives_expected_answer(question: str, answer: str) -> bool:
    """False only when the question asks for a number, name or time and the answer has none."""
    kind = expected_answer_type(question)
    text = _CITATION.sub("", answer)
    if kind == "number":
        return bool(re.search(r"\d", text) or _NUMBER_WORDS.search(text))
    if kind == "time":
        return bool(re.search(r"\d", text) or _TIME_WORDS.search(text))
    if kind == "name":
        return _has_new_name(text, question)
    return True
