"""Words, numbers, names and sentences: the text rules every pipeline step shares.

Each rule lives here once. Before, three stop lists, three word patterns, two number patterns
and three sentence splitters disagreed: evidence scoring lower-cased sentences before looking
for names (so names never counted), and each "is this a sentence start?" rule differed from the
next. Everything here is a pure function over plain strings, unit-tested in tests/test_text.py.
"""

from __future__ import annotations

import functools
import re

# A word: letters with inner apostrophes and hyphens ("Harborview's", "co-op"), or a figure.
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*")
# A figure as written in prose: "1,400", "12.5", "2026".
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_POSSESSIVE = re.compile(r"['’]s?$")
# "U.S.", "U.K.", "D.C.": initialisms written with full stops are the same word as "US", "UK", "DC",
# and so are the model's spaced "U. S." ("a limited series of U. S. Passports" lost its support).
_DOTTED_INITIALISM = re.compile(r"\b[A-Z]\.(?: ?[A-Z]\.)+")

# Words too common to tie a claim to a passage ("the", "said"): ignored when comparing claims.
CLAIM_STOPWORDS = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has", "have",
     "he", "her", "his", "in", "into", "is", "it", "its", "of", "on", "or", "that", "the", "their", "them",
     "they", "this", "to", "was", "were", "which", "who", "will", "with", "would", "also", "after", "before",
     "about", "over", "than", "then", "there", "these", "those", "not", "no", "said", "says"]
)
# Words that find nothing in a keyword search: function words, question words and the time words
# that timewords.py turns into a date range instead ("yesterday", "this week").
SEARCH_STOPWORDS = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "did", "do", "does", "for", "from",
     "had", "has", "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "of", "on",
     "or", "our", "she", "so", "than", "that", "the", "their", "them", "then", "there", "these", "they",
     "this", "those", "to", "was", "we", "were", "what", "when", "where", "which", "who", "whom", "why",
     "will", "with", "would", "you", "your", "yesterday", "today", "week", "month", "year", "said", "says",
     "about", "after", "before", "over", "new"]
)
# Pronouns that point at someone or something named earlier. Not "that", "this" or "there":
# they are as often grammar ("said that", "this week", "is there") as a reference.
BACK_REFERENCES = frozenset(
    ["he", "she", "it", "they", "them", "him", "his", "her", "hers", "their", "theirs", "its", "these",
     "those", "same"]
)
# Words that carry no topic in a chat turn: function words, question words, pronouns, reporting verbs.
TOPICLESS_WORDS = BACK_REFERENCES | frozenset(
    ["this", "that", "there", "a", "an", "the", "and", "or", "but", "so", "of", "in", "on", "at", "to",
     "for", "from", "by", "with", "about", "into", "over", "under", "after", "before", "as", "is", "are",
     "was", "were", "be", "been", "being", "am", "do", "does", "did", "done", "doing", "have", "has", "had",
     "having", "will", "would", "can", "could", "should", "shall", "may", "might", "must", "not", "no",
     "yes", "please", "also", "then", "than", "too", "very", "just", "more", "most", "much", "many", "some",
     "any", "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "i", "me", "my", "we",
     "us", "our", "you", "your", "one", "ones", "say", "says", "said", "saying", "tell", "told", "think",
     "thought", "mean", "meant", "happen", "happened", "happening", "know", "update", "latest", "news",
     "again", "other", "others", "else", "now"]
)
# Calendar words, lower-cased, in calendar order (Monday is `date.weekday()` 0).
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
# A day or a month names no one: "said on Thursday", "the festival opens on March 20".
CALENDAR_WORDS = frozenset(WEEKDAYS + MONTHS)

# Capitalised words that name no one: sentence openers, pronouns, determiners, bare titles, number words.
NOT_NAMES = frozenset(
    ["According", "The", "A", "An", "It", "This", "That", "They", "There", "These", "Those", "Each",
     "Every", "About", "Some", "Most", "Many", "More", "Fewer", "All", "Only", "Its", "Their", "His", "Her",
     "Up", "Over", "Under", "Around", "Nearly", "Almost", "He", "She", "I", "We", "Mayor", "One", "Two",
     "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Both", "Several", "Another"]
)

# A sentence ends at . ! ? or … (with any closing quote or bracket) before a capital, a digit, an
# opening quote or bracket; a blank line always ends one.
_SENTENCE_END = re.compile(r"(?<=[.!?…])([\"'”’)\]]*)\s+(?=[\"'“‘(\[A-Z0-9])|\n\s*\n")
# A full stop that ends an abbreviation ends no sentence: "St. Brigid's", "the U.S. Senate".
_ABBREVIATION = re.compile(
    r"(?:^|[^\w.])(?:St|Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Capt|Jr|Sr|Inc|Co|Corp|Ltd|No|vs|Ft|Mt"
    r"|[A-Z](?:\.[A-Z])+|[A-Z])\.$"
)
# Nor does a month's before its day: "captured on Saturday, Jan. 3, 2026" is one sentence.
_MONTH_ABBREVIATION = re.compile(r"(?:^|[^\w.])(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.$")
# Long enough to hold the longest abbreviation above, with the character before it.
_ABBREVIATION_WINDOW = 12


def sentence_spans(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, ends_paragraph) for each sentence of text, whitespace trimmed."""
    if len(text) > CACHED_TEXT_CHARS:
        return list(_split_sentences(text))
    return list(_cached_sentence_spans(text))


# An answer's quotation of several sentences is one claim: '"It is frustrating. But nobody is going
# to sit under a loose roof," Voss said.' cut in two credits its second half to no one. A quotation
# left open joins at most this many sentences.
MAX_QUOTED_SENTENCES = 4


def quoted_sentence_spans(text: str) -> list[tuple[int, int, bool]]:
    """sentence_spans, with the sentences of one quotation (opened and not yet closed) joined."""
    joined: list[tuple[int, int, bool]] = []
    parts = 0
    for start, end, paragraph_end in sentence_spans(text):
        previous = joined[-1] if joined else None
        if previous and parts < MAX_QUOTED_SENTENCES and not previous[2] and opens_a_quote(text[previous[0] : previous[1]]):
            joined[-1] = (joined[-1][0], end, paragraph_end)
            parts += 1
        else:
            joined.append((start, end, paragraph_end))
            parts = 1
    return joined


def opens_a_quote(sentence: str) -> bool:
    """The sentence's last quotation mark opens a quotation: '"There is an offer on the table.'"""
    marks = list(re.finditer(r"[\"\u201c\u201d]", sentence))
    if not marks or marks[-1].group() == "\u201d":
        return False
    last = marks[-1].start()
    opens_after_space = last == 0 or sentence[last - 1].isspace()
    return marks[-1].group() == "\u201c" or (opens_after_space and sentence[last + 1 : last + 2].strip() != "")


# Evidence, features, prompts and verification split the same passages again and again; whole
# articles (chunking, up to 200,000 characters) are split once and not kept.
CACHED_TEXT_CHARS = 8_000


def _split_sentences(text: str) -> tuple[tuple[int, int, bool], ...]:
    spans: list[tuple[int, int, bool]] = []
    cursor = 0
    for match in _SENTENCE_END.finditer(text):
        # A closing quote or bracket after the full stop belongs to the sentence.
        end = match.end(1) if match.group(1) is not None else match.start()
        paragraph_end = "\n" in match.group(0)
        before = text[max(cursor, end - _ABBREVIATION_WINDOW) : end]
        if not paragraph_end and (
            _ABBREVIATION.search(before) or (_MONTH_ABBREVIATION.search(before) and text[match.end()].isdigit())
        ):
            continue
        spans.append((cursor, end, paragraph_end))
        cursor = match.end()
    spans.append((cursor, len(text), True))
    return tuple((s, e, p) for s, e, p in _trim(text, spans) if e > s)


_cached_sentence_spans = functools.lru_cache(maxsize=2048)(_split_sentences)


def _trim(text: str, spans: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    trimmed = []
    for start, end, para in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        trimmed.append((start, end, para))
    return trimmed


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end, _ in sentence_spans(text)]


def words(text: str) -> list[str]:
    """Words and figures in order, without possessive endings: "Harborview's" is "Harborview",
    and "U.S." is "US" (a verified answer once lost "the US law" to a passage's "U.S. law")."""
    return list(_words(text))


# Evidence scoring and verification ask for the words and names of the same sentences many times
# over (a question's 80 candidate sentences, each by several features): the regexes were most of
# the evidence step's time. Pure functions of the text, so a bounded cache is safe.
@functools.lru_cache(maxsize=16_384)
def _words(text: str) -> tuple[str, ...]:
    text = _DOTTED_INITIALISM.sub(lambda m: m.group(0).replace(".", "").replace(" ", ""), text)
    return tuple(_POSSESSIVE.sub("", w) if not w[0].isdigit() else w for w in WORD.findall(text))


def stem(word: str) -> str:
    # A five-letter prefix is a crude stemmer: "striking" and "strike" meet at "strik".
    return word.lower()[:5]


def content_words(text: str) -> set[str]:
    """Stems of the words that carry meaning: no stop words, no figures."""
    return set(_content_words(text))


@functools.lru_cache(maxsize=16_384)
def _content_words(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _words(text) if w and w.lower() not in CLAIM_STOPWORDS and not w[0].isdigit())


def numbers(text: str) -> set[str]:
    """Figures normalised for comparison: "1,400" and "1400" are one figure, "07" is "7"."""
    return set(_numbers(text))


@functools.lru_cache(maxsize=16_384)
def _numbers(text: str) -> frozenset[str]:
    # Verification asks for the figures of the same passages and sentences many times a question.
    return frozenset(n.replace(",", "").rstrip(".").lstrip("0") or "0" for n in NUMBER.findall(text))


_UNITS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
          "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SPELLED_VALUE = {"one": 1} | {word: n for n, word in enumerate(_UNITS, start=2)} | {
    word: 10 * n for n, word in enumerate(_TENS, start=2)
}
# A figure written out opens a sentence with a capital it loses after "According to X,": "Fourteen ships".
SPELLED_NUMBERS = frozenset(word.capitalize() for word in (*_SPELLED_VALUE, "dozens", "hundreds", "thousands"))
# "seven workers", "twenty-five ships": one is left out alone ("no one", "one of them"), kept in a compound.
_SPELLED = re.compile(
    rf"\b(?:({'|'.join(_TENS)})[- ](one|{'|'.join(_UNITS[:8])})|({'|'.join(_TENS + _UNITS)}))\b", re.IGNORECASE
)


@functools.lru_cache(maxsize=4_096)
def spelled_as_digits(text: str) -> str:
    """Figures written in words as digits: "seven workers" and "7 workers" are one claim to check,
    "twenty-five ships" is "25 ships". The result is for comparing, never for quoting."""
    def value(match: re.Match[str]) -> str:
        if match.group(3):
            return str(_SPELLED_VALUE[match.group(3).lower()])
        return str(_SPELLED_VALUE[match.group(1).lower()] + _SPELLED_VALUE[match.group(2).lower()])

    return _SPELLED.sub(value, text)


def names(text: str, *, first_words: bool = False) -> set[str]:
    """Capitalised words, lower-cased: the proper nouns a claim hinges on.

    A sentence's first word is capitalised anyway, so it counts only with first_words=True (for
    headlines, whose first word is usually a name: "Harborview council approves ...").
    """
    return set(_names(text, first_words))


@functools.lru_cache(maxsize=16_384)
def _names(text: str, first_words: bool) -> frozenset[str]:
    found = set()
    for sentence in sentences(text):
        sentence_words = words(sentence)
        for word in sentence_words if first_words else sentence_words[1:]:
            if word and word[0].isupper() and word not in NOT_NAMES and word.lower() not in CLAIM_STOPWORDS:
                found.add(word.lower())
    return frozenset(found)


def search_terms(text: str) -> list[str]:
    """Lower-cased keyword-search terms in order, stop words dropped."""
    lowered = (w.strip("'’-").lower() for w in re.findall(r"[\w'’-]+", text))
    return [w for w in lowered if w and w not in SEARCH_STOPWORDS]
