"""Follow-up questions in a chat -> standalone retrieval queries, by plain rules.

"And what did Russia say?" retrieves nothing useful on its own: the topic lives in the earlier
question. Each follow-up gets the key terms of the previous (already resolved) question appended,
so a chain of follow-ups keeps the original topic. No model is asked: the rewrite is cheap,
repeatable and unit-tested, and the retrieval query is returned to the client to inspect.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from service.text import BACK_REFERENCES, TOPICLESS_WORDS, WORD

_CONJUNCTION = re.compile(r"^\s*(and|but|also|so|then|plus|or)\b[\s,]*", re.IGNORECASE)
_CONNECTOR = re.compile(rf"{_CONJUNCTION.pattern}|^\s*(what|how) about\b", re.IGNORECASE)
# A follow-up with this many topic words or fewer leans on the previous question.
_FEW_TOPIC_WORDS = 2
# A back-reference ("he", "it", "that") in a question this lean points to the previous question.
_PRONOUN_TOPIC_WORDS = 4
# Enough of the previous question's terms to steer retrieval without drowning the follow-up.
MAX_CARRIED_TERMS = 8


def _words(text: str) -> list[str]:
    return WORD.findall(text)


def _topic_words(text: str) -> list[str]:
    return [w for w in _words(text) if w.lower().strip("'’") not in TOPICLESS_WORDS]


def is_follow_up(question: str) -> bool:
    """Whether a question leans on an earlier one: starts with "and"/"what about", is very short,
    or points back with a pronoun while naming little itself."""
    if _CONNECTOR.match(question):
        return True
    topic = _topic_words(question)
    if len(topic) <= _FEW_TOPIC_WORDS:
        return True
    refers_back = any(w.lower() in BACK_REFERENCES for w in _words(question))
    return refers_back and len(topic) <= _PRONOUN_TOPIC_WORDS


def key_terms(question: str, exclude: str = "") -> list[str]:
    """The previous question's topic words in their order, minus those the follow-up repeats."""
    taken = {w.lower() for w in _words(exclude)}
    terms: list[str] = []
    for word in _topic_words(question):
        if word.lower() not in taken:
            taken.add(word.lower())
            terms.append(word)
    return terms[:MAX_CARRIED_TERMS]


def standalone_query(question: str, previous: str | None) -> str:
    """The follow-up with the previous question's key terms in brackets; a standalone question as is."""
    question = question.strip()
    if not previous or not is_follow_up(question):
        return question
    terms = key_terms(previous, exclude=question)
    if not terms:
        return question
    # "and what did Russia say?" reads better to the model without the dangling conjunction.
    body = _CONJUNCTION.sub("", question) or question
    return f"{body[0].upper()}{body[1:]} ({' '.join(terms)})"


def resolve_conversation(user_turns: Sequence[str]) -> str:
    """The retrieval query for the last user turn, resolving each earlier turn in order so that a
    chain of follow-ups ("and Russia?", "and China?") keeps the first question's topic."""
    resolved: str | None = None
    for turn in user_turns:
        resolved = standalone_query(turn, resolved)
    return resolved or ""
