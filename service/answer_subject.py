"""Is the answer about what the question names?

Asked "What did the Chamber of Commerce estimate Storm Petra cost the local economy?", a small
model answers with the chamber's estimate of what the port strike cost, quoting a passage that
never mentions the storm: a true sentence about something else. A name the question gives (a
person, a place, an event) must occur somewhere in a passage the answer cites, its title or its
outlet; the outlets of the passages shown are exempt. Only the cited passages as a whole are
asked, not the answer's sentence: "the new ferries" answers a question about "Harborview's new
ferries" from a passage about Harborview (asking the sentence and its neighbours refused five
right answers of the fixed and hard sets). A question that offers names to choose from ("the
Herald or the Metro Ledger?") is answered by one of them (`picks_an_option`). A topic asked about
in lower case ("What did the president say about tariffs?") must have one of its words there too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from service.claimants import ATTRIBUTION
from service.name_forms import names_written_otherwise
from service.text import MONTHS, NOT_NAMES, WEEKDAYS, content_words, sentences, words
from service.timewords import resolve_time_words

# Capitalised words of a question that name nothing.
_NOT_SUBJECTS = frozenset(
    {"Who", "Whom", "Whose", "What", "Which", "When", "Where", "Why", "How", "Did", "Does", "Do", "Is", "Are", "Was",
     "Were", "Will", "Would", "Can", "Could", "Has", "Have", "Had", "Should", "In", "On", "At", "For", "From", "To", "By",
     "As", "After", "Before", "During", "Since", "Of", "And", "Or", "But", "If", "Name", "Give", "Summarize", "Summarise",
     "Describe", "Explain", "List", "Tell"}
    # A request for news opens with words that name nothing: "Latest news about ...", "Any update on ...".
    | {"Any", "Anything", "Latest", "Recent", "News", "Update", "Updates", "Please", "Show", "Find", "Recap", "Status"}
    # Typed without the apostrophe: "Whats the unemployment rate in Harborview".
    | {"Whats", "Whos", "Wheres", "Whens", "Whys", "Hows"}
    | {day.capitalize() for day in WEEKDAYS + MONTHS}
)

_TOKEN = re.compile(r"[A-Za-z0-9][\w'’.-]*")
# One capitalised word between a determiner and a common noun qualifies the answer asked for.
_QUALIFIES = re.compile(r"(?i)\b(?:which|what|a|an|the)\s+$")
_NOT_NOUNS = frozenset({"or", "and", "of", "in", "on", "at", "to", "for", "with", "by", "from", "as", "is", "was", "are",
                        "were", "has", "had", "have", "did", "does", "do", "said", "says", "say", "reported", "report"})


_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)[\"'“‘(]*$")


def question_names(question: str) -> list[list[str]]:
    """The names the question gives, each as its words (as `words` writes them): "American Edward
    Eagan" -> ["American", "Edward", "Eagan"]; question words, days and months are no names, and
    neither is a word that only qualifies the answer asked for ("Which US city", "a Hollywood star")."""
    tokens = list(_TOKEN.finditer(question))
    runs: list[list[re.Match[str]]] = [[]]
    for token in tokens:
        word = token.group()
        if word[:1].isupper() and word.removesuffix("'s").removesuffix("’s") not in NOT_NAMES | _NOT_SUBJECTS:
            runs[-1].append(token)
        elif runs[-1]:
            runs.append([])
    names: list[list[str]] = []
    several_sentences = len(sentences(question)) > 1
    for run in (r for r in runs if r):
        before, after = question[: run[0].start()], question[run[-1].end() :]
        if len(run) == 1 and _QUALIFIES.search(before) and (noun := re.match(r"\s+([a-z]+)", after)) \
                and noun.group(1) not in _NOT_NOUNS:
            continue
        # A question that opens with a sentence of context capitalises that sentence's first word
        # ("Excitement is building for the World Cup. Where ...?"); a one-sentence question opens with
        # its question word or its subject ("Louisiana's map was struck down by whom?").
        if len(run) == 1 and several_sentences and _SENTENCE_START.search(before):
            continue
        name = [w for t in run for w in words(t.group())]
        if name and name not in names:
            names.append(name)
    return names


def _vocabulary(texts: Sequence[str]) -> set[str]:
    # Outlets are named "the Herald" and stored as harborview-herald.example: their parts count.
    return {w.lower() for text in texts for w in words(re.sub(r"[-./]", " ", text))} | {
        w.lower() for text in texts for w in words(text)
    }


def missing_subject(question: str, cited_texts: Sequence[str], outlets: Sequence[str] = ()) -> str | None:
    """The first name of the question that no cited passage, title or outlet mentions, else the topic
    asked about (`asked_topic`) when none of its words is mentioned, else None.
    A name is mentioned when its last word is, or at least half its words are: a passage writes
    "Eddie Eagan" for the question's "American Edward Eagan", "Super Bowl 60" for "Super Bowl LX".
    Outlets (those of every passage shown) are who reported, not what about: "Which outlet reported
    fewer homes without power, the Herald or the Metro Ledger?" is answered citing one of them."""
    if not cited_texts:
        return None
    known = _vocabulary(cited_texts) | _vocabulary(outlets)
    for name in question_names(question):
        # "Which American economist" is asked about by a passage on "the United States' monetary policy".
        if not _mentioned(name, known) and not _mentioned(
            name, known | names_written_otherwise(" ".join(name), " ".join(cited_texts))
        ):
            return " ".join(name)
    topic = asked_topic(question)
    if topic and not content_words(topic) & content_words(" ".join(cited_texts)):
        return topic
    return None


# "What did the president say about tariffs?": what was said is about something, named after "about".
# "About how many people ...", "about 400 workers" are approximations, not topics.
_ABOUT = re.compile(r"\babout\s+(?!(?:how|what|who|when|where|which|why)\b|\d)(?:the\s+|a\s+|an\s+)?"
                    r"((?:[^,?;.]|\.(?!\s)|(?<=\b[A-Z])\.)+)", re.I)


def asked_topic(question: str) -> str | None:
    """The topic a question asks about ("tariffs"), without its time words ("this week"), or None.
    Checked like a name but for any one of its words: a topic is as often written another way
    ("the strike deal" is "the agreement that ended the strike")."""
    # A sentence of context before the question ("The Games will be about speed. But ...?") is no topic.
    match = _ABOUT.search((sentences(question) or [question])[-1])
    if not match:
        return None
    topic = match.group(1)
    # The day only finds the phrase; which day it names does not matter here.
    if phrase := resolve_time_words(topic, dt.date.today()).phrase:
        topic = topic.replace(phrase, " ")
    topic = " ".join(topic.split())
    return topic if content_words(topic) else None



def _mentioned(name: list[str], known: set[str]) -> bool:
    return name[-1].lower() in known or 2 * sum(w.lower() in known for w in name) >= len(name)


# "Which outlet reported it, the Herald or the Metro Ledger?": the answer is one of the names asked about.
_OPTIONS = re.compile(r"((?:the )?[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*),? or ((?:the )?[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*)")


def picks_an_option(part: str, kept: Sequence[str]) -> bool:
    options = _OPTIONS.search(part)
    if not options or not re.match(r"(?i)(which|who|whose)\b", part.strip()):
        return False
    named = [o.removeprefix("the ").lower() for o in options.groups()]
    return any(o in ATTRIBUTION.sub("", s).lower() for s in kept for o in named)
