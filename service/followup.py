"""Follow-up questions in a chat -> standalone retrieval queries, by plain rules.

"And what did Russia say?" retrieves nothing useful on its own: the topic lives in the earlier
question. Each follow-up gets the key terms of the previous (already resolved) question appended,
so a chain of follow-ups keeps the original topic. No model is asked: the rewrite is cheap,
repeatable and unit-tested, and the retrieval query is returned to the client to inspect.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,./-]*")
_CONJUNCTION = re.compile(r"^\s*(and|but|also|so|then|plus|or)\b[\s,]*", re.IGNORECASE)
_CONNECTOR = re.compile(rf"{_CONJUNCTION.pattern}|^\s*(what|how) about\b", re.IGNORECASE)
# Pronouns that point at someone or something named earlier. Not "that", "this" or "there":
# they are as often grammar ("said that", "this week", "is there") as a reference.
_BACK_REFERENCES = frozenset({
    "he", "she", "it", "they", "them", "him", "his", "her", "hers", "their", "theirs", "its",
    "these", "those", "same"
})
# Words that carry no topic: function words, question words, pronouns and reporting verbs.
_NO_TOPIC = _BACK_REFERENCES | frozenset({
    "this", "that", "there",
    "a", "an", "the", "and", "or", "but", "so", "of", "in", "on", "at", "to", "for", "from", "by",
    "with", "about", "into", "over", "under", "after", "before", "as", "is", "are", "was", "were",
    "be", "been", "being", "am", "do", "does", "did", "done", "doing", "have", "has", "had",
    "having", "will", "would", "can", "could", "should", "shall", "may", "might", "must", "not",
    "no", "yes", "please", "also", "then", "than", "too", "very", "just", "more", "most", "much",
    "many", "some", "any", "what", "which", "who", "whom", "whose", "when", "where", "why", "how",
    "i", "me", "my", "we", "us", "our", "you", "your", "one", "ones", "say", "says", "said",
    "saying", "tell", "told", "think", "thought", "mean", "meant", "happen", "happened",
    "happening", "know", "update", "latest", "news", "again", "other", "others", "else", "now"
})
# A follow-up with this many topic words or fewer leans on the previous question.
_FEW_TOPIC_WORDS = 2
# A back-reference ("he", "it", "that") in a question this lean points to the previous question.
_PRONOUN_TOPIC_WORDS = 4
# Enough of the previous question's terms to steer retrieval without drowning the follow-up.
MAX_CARRIED_TERMS = 8


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _topic_words(text: str) -> list[str]:
    return [w for w in _words(text) if w.lower().strip("'’") not in _NO_TOPIC]


def is_follow_up(question: str) -> bool:
    """Whether a question leans on an earlier one: starts with "and"/"what about", is very short,
    or points back with a pronoun while naming little itself."""
    if _CONNECTOR.match(question):
        return True
    topic = _topic_words(question)
    if len(topic) <= _FEW_TOPIC_WORDS:
        return True
    refers_back = any(w.lower() in _BACK_REFERENCES for w in _words(question))
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
