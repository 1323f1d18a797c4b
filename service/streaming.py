"""Verified streaming: the model's text deltas -> sentences, each shown only once it is verified.

`SentenceStream` is fed the deltas as the model writes them. A sentence is complete when the next
one begins (the splitter is the verifier's own, `text.quoted_sentence_spans`, so a sentence is cut where
the final verification cuts it). At each complete sentence the answer so far is verified with
`citations.verify`, the very call the final Answer is made with, and a sentence is shown only when
that verification keeps it: nothing shown is struck out later. A question asking for a number, a
name or a time holds its sentences back until the verified text gives one (the final Answer is a
refusal otherwise), so that rule retracts nothing either.

It also says when the answer is complete, so the caller stops the model: after an answer, a
sentence that repeats it, turns to another source about something else, echoes the prompt or refuses ends it, and so does
reaching the prompt's sentence limit. The text handed to the final verification is the model's
text up to that point (`answer_text`), cut the same way whether the answer was streamed or not.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from service.answer_types import gives_expected_answer
from service.answers import plain_verification
from service.citations import SentenceMemo, Verification, VerifiedSentence, verify
from service.domain import Citation, Passage
from service.split_answer import LIST_MARKER, split_answer
from service.text import MONTHS, WEEKDAYS, content_words, numbers, quoted_sentence_spans
from service.timewords import names_a_story

_LEADING_MARKERS = re.compile(r"^(?:\s*\[\d{1,3}(?:\s*[-–,;]\s*\d{1,3})*\])+")
# The model writing the next turn of the conversation: the answer is over.
_NEW_TURN = re.compile(r"^\W*(question|sources?|today is|user|assistant|answer|note)\b\s*:?", re.IGNORECASE)
# How a finished sentence ends: its full stop, a closing quotation mark or bracket, or a citation.
_ENDS_A_SENTENCE = re.compile(r"[.!?…\"”’)\]]$")
# A numbered or bulleted item: the model announced a list, so a new subject is only its next item.
_LIST_ITEM = re.compile(rf"^\s*{LIST_MARKER}\s")
# Where a list item's line begins: just after the newline before its marker.
_ITEM_LINE = re.compile(rf"\n(?=[ \t]*{LIST_MARKER}\s)")
# "What happened yesterday?", "Any news this week?": a question that names no subject of its own,
# which every story of the day answers.
_OPEN_QUESTION_WORDS = content_words(
    "what happened happen happening going on any news latest new recent recently stories story tell give me "
    "summary summarize overview today tonight yesterday morning evening weekend week month year last past "
    + " ".join(WEEKDAYS + MONTHS)
)


@dataclass(frozen=True)
class ShownSentence:
    """One verified sentence as a client shows it: its text, each citation with its quote."""

    index: int
    text: str
    citations: list[Citation]
    corrected: bool
    attribution: str | None

    def event(self) -> dict[str, object]:
        return {"index": self.index, "text": self.text, "corrected": self.corrected,
                "attribution": self.attribution, "citations": [c.model_dump(mode="json") for c in self.citations]}


@dataclass
class SentenceStream:
    """Feed it deltas; it returns the sentences newly verified and says when the answer is complete."""

    question: str
    passages: list[Passage]
    max_sentences: int = 3
    stop_when_complete: bool = True
    today: dt.date | None = None  # what the answer's "this week" counts from
    stop_reason: str | None = None
    _text: str = ""
    _checked_to: int = 0  # end of the text whose complete sentences have been judged
    _kept_to: int | None = None  # where the answer ends when it stopped early
    _shown: int = 0
    _cited: set[int] = field(default_factory=set)  # sources the verified sentences cite
    _earlier: list[tuple[set[str], set[str]]] = field(default_factory=list)
    # Each sentence verified once, though the answer so far is verified at every new sentence.
    memo: SentenceMemo = field(default_factory=dict)

    @property
    def text(self) -> str:
        """Everything the model wrote."""
        return self._text

    @property
    def answer_text(self) -> str:
        """The model's text up to where the answer is complete: what the final Answer verifies."""
        return self._text if self._kept_to is None else self._text[: self._kept_to]

    @property
    def complete(self) -> bool:
        return self.stop_reason is not None

    def feed(self, delta: str) -> list[ShownSentence]:
        self._text += delta
        if self.complete:
            return []
        shown: list[ShownSentence] = []
        for end in _sentence_ends(self._text, self._checked_to):
            shown += self._judge(end)
            if self.complete:
                break
        return shown

    def finish(self, cut_off: bool = False) -> list[ShownSentence]:
        """The model is done: its last sentence is complete too, unless the token limit cut it off
        (cut_off) before its full stop: "According to the Ledger, the housing committee" was shown
        verified, every word in the passage; cut a word later, "the council voted not to" would be."""
        tail = self._text[self._checked_to :].strip()
        if self.complete or not tail:
            return []
        if cut_off and not _ENDS_A_SENTENCE.search(tail):
            self.stop_reason, self._kept_to = "the token limit cut the last sentence off", self._checked_to
            return []
        return self._judge(len(self._text))

    def _judge(self, end: int) -> list[ShownSentence]:
        """The sentence ending at `end` is complete: stop before it, or show what it verifies."""
        segment = self._text[self._checked_to : end]
        if self.stop_when_complete and self._shown:
            reason = self._ends_answer(segment)
            if reason:
                self.stop_reason, self._kept_to = reason, self._checked_to
                return []
        self._checked_to = end
        self._remember(segment)
        verified = verify(self._text[:end], self.passages, self.memo, self.question, self.today)
        verification = plain_verification(verified)
        shown = self._newly_verified(verification)
        if self.stop_when_complete and self._shown >= self.max_sentences:
            self.stop_reason, self._kept_to = f"{self.max_sentences} verified sentences", end
        return shown

    def _newly_verified(self, verification: Verification) -> list[ShownSentence]:
        if verification.refused or not gives_expected_answer(self.question, verification.text):
            return []
        kept = [s for s in verification.sentences if s.verified]
        shown = [self._shown_sentence(i, s) for i, s in enumerate(kept) if i >= self._shown]
        self._shown = len(kept)
        self._cited = {n for s in kept for n in s.citations}
        return shown

    def _shown_sentence(self, index: int, sentence: VerifiedSentence) -> ShownSentence:
        citations = [Citation.of(n, self.passages[n - 1].chunk, sentence.quotes[n]) for n in sentence.citations]
        return ShownSentence(index, sentence.text, citations, sentence.corrected, sentence.attribution)

    def _ends_answer(self, segment: str) -> str | None:
        """Why this sentence, after an answer, ends it; None when the answer goes on."""
        if _NEW_TURN.match(segment.strip()):
            return "the model began a new turn"
        parts = split_answer(segment)
        if not parts:
            return None
        alone = verify(segment, self.passages, self.memo, self.question, self.today)
        if alone.refused and not alone.sentences:
            return "the model refused after answering"
        words = set().union(*(content_words(text) for text, _ in parts))
        figures = set().union(*(numbers(text) for text, _ in parts))
        said_words = set().union(*(w for w, _ in self._earlier))
        said_figures = set().union(*(f for _, f in self._earlier))
        if words <= said_words and figures <= said_figures:
            return "the model repeated itself"
        cited = {n for sentence in alone.sentences for n in sentence.citations}
        # The splitter leaves an item's "2." as a sentence of its own: read the segment's whole line.
        line = self._text[self._text.rfind("\n", 0, self._checked_to) + 1 :]
        on_any_subject = _LIST_ITEM.match(line) or content_words(self.question) <= _OPEN_QUESTION_WORDS \
            or not names_a_story(self.question)
        if cited and not cited & self._cited and not on_any_subject \
                and not words & (said_words | content_words(self.question)):
            return "the model changed the subject"
        return None

    def _remember(self, segment: str) -> None:
        parts = split_answer(segment)
        self._earlier.append((
            set().union(*(content_words(text) for text, _ in parts)),
            set().union(*(numbers(text) for text, _ in parts)),
        ))


def _sentence_ends(text: str, start: int) -> list[int]:
    """Ends of the sentences after `start` that are complete: each is followed by one with words.

    A citation marker written after the full stop ("... Tuesday. [1] Union ...") belongs to the
    sentence before it, so a sentence ends after its trailing markers. Each item of a list is a
    sentence of its own, as `split_answer` reads it: "- Storm Petra ... [1].\n- Police ..." has no
    capital after its full stop, and read as one sentence a list the token limit cut off in its last
    item was dropped whole.
    """
    ends = []
    block_starts = [0, *(item.end() for item in _ITEM_LINE.finditer(text))]
    for block_start, block_end in zip(block_starts, [*block_starts[1:], len(text)], strict=True):
        block = text[block_start:block_end]
        for span_start, span_end, _ in quoted_sentence_spans(block):
            if block_start + span_start <= start:
                continue
            leading = _LEADING_MARKERS.match(block[span_start:span_end])
            body_start = span_start + (leading.end() if leading else 0)
            if re.search(r"\w", block[body_start:span_end]):
                ends.append(block_start + body_start)
    return ends
