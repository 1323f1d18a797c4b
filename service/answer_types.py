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
from service.statement_kind import asks_where, holds_place
from service.text import CALENDAR_WORDS, NOT_NAMES, names, sentences, words

_NUMBER_QUESTION = re.compile(
    r"^(how (many|much|large|big|long|old|far|high|tall|deep)|by how much)\b"
    r"|\b(what|which) (price|percentage|share|figure|amount|score|population|margin|age|number|total)\b"
    # "..., and what numbers did they give?": answered by naming the outlets alone, it was not flagged.
    r"|\b(what|which) (numbers|figures|percentages|amounts|totals)\b"
    r"|\bpopulation\b|\bscore\b|\bby what margin\b|^what (did|does|do|will|would)\b.{1,80}\bcost\b",
    re.IGNORECASE,
)
_NAME_QUESTION = re.compile(
    r"^who (is|was|are|were|won|directed|wrote|leads|led|will|painted|founded|owns|runs)\b"
    r"|\bwhat (is|are|was|were) the names?\b",
    re.IGNORECASE,
)
_TIME_QUESTION = re.compile(r"^when\b", re.IGNORECASE)

_SMALL_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty"
_NUMBER_WORDS = re.compile(
    rf"\b({_SMALL_NUMBER_WORDS}|forty|fifty|hundred|thousand|million|billion|trillion|dozen|half)\b",
    re.IGNORECASE,
)
_TIME_WORDS = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|december"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow|tonight"
    r"|week|month|year|spring|summer|autumn|fall|winter|morning|evening|night|noon|midnight)\b",
    re.IGNORECASE,
)
_CITATION = re.compile(r"\[\d+\]")
_MONTH_NAMES = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
# Dates and years: figures that never answer "how many" or "how much".
_DATES = re.compile(rf"\b{_MONTH_NAMES}\.?\s+\d{{1,2}}(st|nd|rd|th)?\b(,?\s+\d{{4}})?|\b\d{{1,2}}\s+{_MONTH_NAMES}\b"
                    rf"|\b{_MONTH_NAMES}\s+\d{{4}}\b|\b(in|since|by|until|from|of)\s+(19|20)\d\d\b|\b(19|20)\d\d\b(?![.,]\d)"
                    rf"(?!\s*(people|floors|homes|jobs|workers|staff|units|seats|votes|passengers|cases|deaths))", re.I)
_HOW_MUCH = re.compile(r"\bhow much\b|\bwhat (did|does|will|would) .{1,60}\bcost\b|\bwhat (price|amount)\b", re.I)
# A change may be answered by a percentage ("By how much will taxes rise?", "How much did prices
# fall?"); a price or a cost is not ("At what price did the shares close?" is not answered by
# "the shares rose 6 percent").
_CHANGE_ASKED = re.compile(
    r"\bby how much\b|\bhow much\b.{0,60}\b(rise|rose|risen|fall|fell|fallen|grow|grew|grown|increase|decrease|drop|"
    r"climb|gain|lose|lost|shrink|shrank|change|jump|cut|higher|lower|more|less|(?:go|goes|went|gone) (?:up|down))",
    re.I,
)
# "How long" asks for a stretch of time or a length: "300 more workers" holds a number but not one.
_HOW_LONG = re.compile(r"\bhow long\b", re.I)
_DURATION = re.compile(
    rf"\b(\d[\d,.]*|an?|{_SMALL_NUMBER_WORDS}|several|few|many|half)[\s-]+(more\s+)?(seconds?|minutes?|hours?|days?|nights?|weeks?|months?|years?|decades?|centur(y|ies)"
    r"|km|kilomet(er|re)s?|miles?|met(er|re)s?|feet|foot|ft|yards?|inches)\b"
    r"|\b(until|till|through|indefinitely|overnight)\b",
    re.I,
)
_SCALED_SUM = re.compile(r"\d[\d,.]*\s*(million|billion|trillion|thousand|m|bn|k)\b", re.I)


# "What does Castellan say about the 6 percent offer?": someone's words are asked for, whatever
# the thing they are about; its figure is no kind of answer.
_ASKS_FOR_WORDS = re.compile(r"^\s*what (?:do|does|did|will|would|has|have)\b.{1,80}?\b(?:say|said|think|argue|claim"
                             r"|warn|write|wrote|tell|told|mean)\s+about\b", re.I)

# "Did Castellan confirm the 6 percent offer?" is answered yes or no, not with a percentage.
_YES_NO = re.compile(r"^\s*(?:did|does|do|is|was|are|were|has|have|had|will|would|can|could|should)\b", re.I)


def expected_answer_type(question: str) -> str | None:
    """"number", "name", "time", or None when the question's shape says nothing firm."""
    text = question.strip()
    if _ASKS_FOR_WORDS.search(text):
        return None
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
    for sentence in sentences(body):
        # A sentence's first word is capitalised anyway: it is not a name.
        candidates = re.findall(r"\b\w*[A-Z]\w*\b", sentence)[1:] if sentence[:1].isupper() else \
            re.findall(r"\b\w*[A-Z]\w*\b", sentence)
        if any(word not in asked and word not in NOT_NAMES for word in candidates):
            return True
    return False


def gives_expected_answer(question: str, answer: str) -> bool:
    """False only when the question asks for a number, name or time and the answer has none.

    A number asked for is a quantity: a year or a date does not answer "how many floors", and a
    count of workers does not answer "how much did it cost" (a sum needs a currency or a scale).
    """
    kind = expected_answer_type(question)
    text = _CITATION.sub("", answer)
    if kind == "number":
        if _HOW_LONG.search(question):
            return bool(_DURATION.search(text))
        quantity = _NUMBER_WORDS.search(text) or re.search(r"\d", _DATES.sub(" ", text))
        if question_kind(question) == MONEY and _HOW_MUCH.search(question):
            percent = _CHANGE_ASKED.search(question) and _PERCENT_TEXT.search(text)
            return bool(quantity and (_MONEY_TEXT.search(text) or _SCALED_SUM.search(text) or percent))
        return bool(quantity)
    if kind == "time":
        return bool(re.search(r"\d", text) or _TIME_WORDS.search(text))
    if kind == "name":
        return _has_new_name(text, question)
    return True


# Finer kinds, for evidence selection: the sentence that can answer "What did the Millbrook flood
# barrier cost?" holds a sum of money; the one about the river's level, however many words it
# shares with the question, holds none. Read from the question forms news readers and quizzes use.
MONEY = "money"
PERCENT = "percent"
COUNT = "count"
TIME = "time"
NAME = "name"
PLACE = "place"

_KIND_OF_QUESTION: list[tuple[str, re.Pattern[str]]] = [
    (MONEY, re.compile(r"\b(cost|costs|price|paid|pay|spend|spent|worth|fine[ds]?|budget|salary|fund(ing)?"
                       r"|how much money|valued?|revenue|raise[ds]?)\b", re.I)),
    (PERCENT, re.compile(r"\b(percent(age)?|per cent|rate|share)\b", re.I)),
    (COUNT, _NUMBER_QUESTION),
    (TIME, re.compile(rf"{_TIME_QUESTION.pattern}|^what (date|day|time|year|month)\b|\b(what year|on what (date|day))\b",
                      re.I)),
    (PLACE, re.compile(r"^(where|in which|in what)\b|\bwhich (country|city|state|nation|region|town|island"
                       r"|continent|territory|county|province|capital)\b", re.I)),
    (NAME, re.compile(rf"{_NAME_QUESTION.pattern}|^(who|whom|whose|which|what is the name|what was the name|name the)\b"
                      r"|\bwhat (company|team|party|group|organi[sz]ation|airline|brand|app|country)\b", re.I)),
]

# "94 million dollars", "$94 million", and the adjective "94-million-dollar" (the hard set's h002).
_MONEY_TEXT = re.compile(
    r"[$£€¥]\s?\d|\d[\d,.]*[\s-]*(million|billion|trillion|thousand|[mbk]n?)?[\s-]*(dollars?|pounds?|euros?|yen|yuan"
    r"|rupees?|usd|eur|gbp)\b",
    re.I,
)
_PERCENT_TEXT = re.compile(r"\d\s?(%|percent|per cent)|\bpercentage points?\b", re.I)
_PERCENT_FIGURE = re.compile(r"\d[\d,.]*\s?(%|percent|per cent)|\b\w+ (percent|per cent)", re.I)
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_PLACE_CUE = re.compile(r"\b(in|at|near|from|to|across|throughout)\s+(the\s+)?([A-Z][\w'’.-]+)")


def holds_count(sentence: str) -> bool:
    """A figure that can answer "how many": a year or a date cannot ("scheduled to begin in spring 2028"
    is no population), nor a share ("52.4 percent of the vote" is not how many votes). Stricter than
    `holds_kind(COUNT)`, which evidence selection scores with."""
    figures = _PERCENT_FIGURE.sub(" ", _DATES.sub(" ", sentence))
    return bool(re.search(r"\d", figures) or _NUMBER_WORDS.search(figures))


_MOVES = (r"up|down|rose|risen|rise|rises|fell|fallen|falls?|increas\w*|decreas\w*|grew|grown|growth|grows?|gain\w*"
          r"|drop\w*|jump\w*|climb\w*|declin\w*|slipp?\w*|surg\w*|plung\w*|soar\w*|cuts?|rais\w*|boost\w*|hikes?")
_PERCENT_CHANGE = re.compile(
    rf"\b(?<!made )(?<!makes )(?<!make )(?<!making )({_MOVES})\s+(?:[\w-]+\s+){{0,3}}?(?:by\s+)?(?:about\s+|nearly\s+|almost\s+|more than\s+)?"
    rf"\d[\d.,]*\s?(%|percent|per cent)|\d[\d.,]*\s?(%|percent|per cent)\s+({_MOVES})\b|percentage points?",
    re.I,
)
_CHANGE_WORDS = re.compile(rf"\b({_MOVES}|change\w*|by how much|by what)\b", re.I)


def holds_level_percent(sentence: str, question: str) -> bool:
    """A percentage that can answer "what share", "what rate": a change ("up 23 percent from a year
    earlier") cannot, unless the question asks how much something moved."""
    if _CHANGE_WORDS.search(question):
        return bool(_PERCENT_TEXT.search(sentence))
    return bool(_PERCENT_TEXT.search(_PERCENT_CHANGE.sub(" ", sentence)))


def asks_for_sum(question: str) -> bool:
    """"How much did it cost", "what price": a sum of money (or, for "by how much", a percentage) answers."""
    return bool(_HOW_MUCH.search(question))


def question_kind(question: str) -> str | None:
    """The first kind whose question form matches, or None when the form says nothing firm."""
    text = question.strip()
    for kind, pattern in _KIND_OF_QUESTION:
        if pattern.search(text):
            return kind
    return None


def _new_names(sentence: str, question: str) -> set[str]:
    return names(sentence, first_words=True) - names(question, first_words=True) - {n.lower() for n in NOT_NAMES}


def holds_kind(sentence: str, kind: str | None, question: str) -> bool:
    """Whether the sentence holds a thing of that kind that the question does not already say."""
    if kind is None:
        return False
    if kind == MONEY:
        return bool(_MONEY_TEXT.search(sentence))
    if kind == PERCENT:
        return bool(_PERCENT_TEXT.search(sentence))
    if kind == COUNT:
        return bool(re.search(r"\d", sentence) or _NUMBER_WORDS.search(sentence))
    if kind == TIME:
        return bool(_YEAR.search(sentence) or _TIME_WORDS.search(sentence))
    if kind == PLACE:
        asked = names(question, first_words=True)
        return any(m.group(3).lower().strip(".") not in asked for m in _PLACE_CUE.finditer(sentence))
    return bool(_new_names(sentence, question))


# A match's result: "3-1", "3 to 1", "a goalless draw". Asked "what was the score", a count ("the Gulls
# are four points behind") is no answer. Only answerability asks for it; evidence selection's kinds are
# its learned models' features (`reranking.KINDS`).
SCORE = "score"
_SCORE_QUESTION = re.compile(r"\b(?:what|which) (?:was|is|were) the (?:final |half-time )?score\b|\b(?:what|by what) score\b",
                             re.I)
_SCORE_TEXT = re.compile(r"(?<![\d,.])(?<!\d[-–])\d{1,3}\s?[-–]\s?\d{1,3}(?!\d|[.,]\d|[-–]\d)|\b\d{1,3} to \d{1,3}\b"
                         r"|\b(?:goalless|scoreless|nil-nil)\b", re.I)


def answer_kind(part: str) -> str | None:
    """The kind of thing that answers: question_kind, except that money words ("budget", "pay") make
    a money question only when a sum is asked for ("How many firefighters does the budget pay for?"),
    and "what was the score" asks for a SCORE."""
    if _SCORE_QUESTION.search(part):
        return SCORE
    kind = question_kind(part)
    if asks_where(part) and not _ASKS_FOR_WORDS.search(part):
        return WHERE
    if kind == PLACE or _ASKS_FOR_WORDS.search(part) or _YES_NO.match(part):
        # "which country" is answered by its name alone ("Spain was rocked by ..."), which NAME would
        # ask of any capitalised word; "what does X say about the 6 percent offer" asks for words
        return None
    if kind == MONEY and not asks_for_sum(part):
        if re.search(r"(?i)\b(what|which) (share|percentage|proportion|fraction)\b", part):
            return PERCENT  # "what share of revenue": a percentage answers, revenue's sum does not
        return COUNT if re.match(r"(?i)(about )?how many\b", part) else None
    return kind


_ASKS_WHO = re.compile(r"(?i)\s*(who|whom)\b")
_CAPITALISED_RUN = re.compile(r"[A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*)*")


def answering_names(sentence: str, question: str) -> set[str]:
    """The names a sentence gives that can answer "who" or "which": `holds_kind`'s new names less
    a day or a month ("the festival will open on March 20" names no one) and less the question's
    own thing under its full name ("the Harborview Film Festival", asked "who will open the film
    festival?"): a name whose words after its first are all the question's is what was asked about,
    not who."""
    found = _new_names(sentence, question) - CALENDAR_WORDS
    if not _ASKS_WHO.match(question):
        return found  # "What is the name of the new wing?": "the Harbourlight Wing" is the answer
    asked = {w.lower() for w in words(question)}
    for run in _CAPITALISED_RUN.finditer(sentence):
        name = [w.lower() for w in words(run.group()) if w not in NOT_NAMES]
        if len(name) > 1 and set(name[1:]) <= asked:
            found -= set(name)
    return found


# "Where ...?" asks for where, which a place named as the doer does not give (`statement_kind.holds_place`).
WHERE = "where"


def holds_answer(body: str, kind: str, part: str) -> bool:
    """Whether a kept sentence holds the kind of thing that answers: stricter than evidence selection's
    `holds_kind` for counts (no years, no shares) and for shares and rates (no changes)."""
    if kind == COUNT:
        # "How much will property taxes go up?": a change asked for, which a percentage gives.
        return holds_count(body) or bool(_CHANGE_ASKED.search(part) and _PERCENT_TEXT.search(body))
    if kind == PERCENT:
        return holds_level_percent(body, part)
    if kind == NAME:
        return bool(answering_names(body, part))
    if kind == SCORE:
        return bool(_SCORE_TEXT.search(body))
    if kind == WHERE:
        return holds_place(body, part)
    return holds_kind(body, kind, part) or (kind == MONEY and holds_kind(body, PERCENT, part))
