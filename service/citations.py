"""Align each answer sentence to the passages that support it; trust no model citation.

A passage supports a sentence when every number in the sentence appears in it, its names
appear in it (or in its title or outlet), and enough of the sentence's content words do.
No model is needed, so every rule here is unit-tested on hand-written cases.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from itertools import combinations

from service.asked_claimant import outlet_name
from service.claimants import attribute, misattributed, speaker_of, stitched, with_asked_quote
from service.domain import Citation, DateRange, Passage
from service.figures import figures_bound, without_named_days
from service.plain_text import plain_text
from service.prompting import drop_instructions, is_addressed_to_a_model
from service.recrediting import circular, reattributed
from service.split_answer import split_answer
from service.text import content_words, names, numbers, sentence_spans, spelled_as_digits, words
from service.timewords import relative_window

_REFUSAL = re.compile(
    r"\b(articles|sources?|passages?|context)\b.{0,40}\b(do(es)? not|don't|doesn't)\b.{0,20}\b(say|mention|contain|provide|include)"
    r"|\bno (information|mention)\b|\bnot (mentioned|stated|specified)\b|\bi (do not|don't) know\b",
    re.IGNORECASE,
)
MIN_OVERLAP = 0.5
# A short sentence with half its words new is mostly invention: "the transport director ate a
# sandwich for breakfast" shares only "transport director" with the passage that names him.
SHORT_SENTENCE_WORDS = 8
MIN_OVERLAP_SHORT = 2 / 3
REFUSAL_TEXT = "The articles do not say."
# Passages a refusal or degraded answer shows: enough to check, few enough to read.
CLOSEST_PASSAGES = 3
# With no sentence sharing a word, a quote falls back to the passage's opening, this long.
FALLBACK_QUOTE_CHARS = 300
# In a two-passage claim each passage must carry this many of its words, not merely sit beside it.
MIN_WORDS_EACH_OF_PAIR = 2
# Among equally good pairs, the one the model itself cited wins: a tie-breaker, never a reason.
CITED_PAIR_PREFERENCE = 0.01
# A refusal phrase in a long answer is one sentence of it, not a refusal.
REFUSAL_MAX_CHARS = 200


@dataclass
class VerifiedSentence:
    text: str
    citations: list[int]  # 1-based source numbers
    verified: bool
    quotes: dict[int, str] = field(default_factory=dict)
    corrected: bool = False
    attribution: str | None = None


@dataclass
class Verification:
    sentences: list[VerifiedSentence]
    refused: bool
    corrected_citations: int = 0
    removed_sentences: int = 0

    @property
    def text(self) -> str:
        return " ".join(cited_text(s.text, s.citations) for s in self.sentences if s.verified).strip()


def cited_text(sentence: str, citations: list[int]) -> str:
    """The one citation format: "Sentence. [1][2]"."""
    return f"{sentence} " + "".join(f"[{n}]" for n in citations)


def citations_for(verification: Verification, passages: list[Passage]) -> list[Citation]:
    """One Citation per source number the verified sentences use, quoting the first sentence's support."""
    seen: dict[int, Citation] = {}
    for sentence in verification.sentences:
        for n in sentence.citations:
            if n not in seen:
                seen[n] = Citation.of(n, passages[n - 1].chunk, sentence.quotes[n])
    return [seen[n] for n in sorted(seen)]


def closest(passages: list[Passage], question: str, limit: int = CLOSEST_PASSAGES) -> list[Citation]:
    """The leading passages, each quoted at its sentence nearest the question."""
    return [
        Citation.of(n, p.chunk, best_quote(question, p)[1]) for n, p in enumerate(passages[:limit], start=1)
    ]


def best_quote(sentence: str, passage: Passage) -> tuple[float, str]:
    """The passage sentence that overlaps most with the claim, and the overlap score.

    Between sentences sharing as many words, the one sharing more of the claim's names and figures
    wins: "the mediator in the Harborview port strike talks is Franklin Osei" is quoted from "...
    chaired by mediator Franklin Osei", not from the article's first line about the talks."""
    claim = content_words(sentence)
    keys = names(sentence) | numbers(sentence)
    text = passage.chunk.text
    best, best_rank = (0.0, text[:FALLBACK_QUOTE_CHARS]), (0.0, 0)
    for start, end, _ in sentence_spans(text):
        candidate = text[start:end]
        if is_addressed_to_a_model(candidate):
            continue
        score = len(claim & content_words(candidate)) / max(len(claim), 1)
        rank = (score, len(keys & (names(candidate, first_words=True) | numbers(candidate))))
        if score > 0 and rank > best_rank:
            best, best_rank = (score, candidate), rank
    return best


def _haystack(passage: Passage) -> str:
    chunk = passage.chunk
    day = chunk.published
    # The outlet's name parts count as words, so "the Herald" matches harborview-herald.example.
    outlet = re.sub(r"[-.]", " ", chunk.source)
    text = drop_instructions(chunk.text)
    return f"{chunk.title} {chunk.source} {outlet} {day:%A %B} {day.day} {day.year} {text}"


def support_text(sentence: str, haystack: str, figures: tuple[str, str] | None = None) -> float:
    """0 when a number or name of the sentence is missing from the text, else word overlap.
    figures: the sentence and the text with their figures in digits, to compare figures with."""
    claim_figures, text_figures = figures or (sentence, haystack)
    if not numbers(claim_figures) <= numbers(text_figures):
        return 0.0
    if names(sentence) - {w.lower() for w in words(haystack)}:
        return 0.0
    claim = content_words(sentence)
    if not claim:
        return 0.0
    overlap = len(claim & content_words(haystack)) / len(claim)
    if len(claim) < SHORT_SENTENCE_WORDS and overlap < MIN_OVERLAP_SHORT:
        return 0.0
    return overlap


def support(sentence: str, passage: Passage) -> float:
    if not passage.chunk.text.strip():
        return 0.0
    # Figures are compared in digits on both sides ("seven workers" is "7 workers"); words as written.
    claim, digits = spelled_as_digits(sentence), _with_digits(passage)
    if not figures_bound(claim, [digits]):
        return 0.0
    chunk = passage.chunk
    figures = (without_named_days(claim, chunk.published, chunk.text), _haystack(digits))
    return support_text(without_named_days(sentence, chunk.published, chunk.text), _haystack(passage), figures)


def _with_digits(passage: Passage) -> Passage:
    chunk = passage.chunk
    update = {"text": spelled_as_digits(chunk.text), "title": spelled_as_digits(chunk.title)}
    return Passage(chunk=chunk.model_copy(update=update), score=passage.score)


def _article_texts(passages: list[Passage]) -> list[str]:
    """Each passage's text joined with the others' of its article: a column's author line is often
    in another chunk than the column's words."""
    return [" ".join(_haystack(other) for other in passages if other.chunk.article_id == passage.chunk.article_id)
            for passage in passages]


def _pair_support(sentence: str, passages: list[Passage], cited: list[int]) -> list[int]:
    """Two passages that together support a sentence no single one does (comparisons across outlets)."""
    claim = content_words(sentence)
    best: tuple[float, list[int]] = (0.0, [])
    claim_digits, digits = spelled_as_digits(sentence), [_with_digits(p) for p in passages]
    for i, j in combinations(range(1, len(passages) + 1), 2):
        if not figures_bound(claim_digits, [digits[i - 1], digits[j - 1]]):
            continue
        first, second = _haystack(passages[i - 1]), _haystack(passages[j - 1])
        if min(len(claim & content_words(first)), len(claim & content_words(second))) < MIN_WORDS_EACH_OF_PAIR:
            continue
        in_digits = [_haystack(digits[i - 1]), _haystack(digits[j - 1])]
        if not _one_story(sentence, passages[i - 1], passages[j - 1]) \
                and not _clause_each(sentence, list(zip([first, second], in_digits, strict=True))):
            continue
        figures = (claim_digits, " ".join(in_digits))
        score = support_text(sentence, f"{first} {second}", figures) + CITED_PAIR_PREFERENCE * len({i, j} & set(cited))
        if score >= MIN_OVERLAP and score > best[0]:
            best = (score, [i, j])
    return best[1]


def _one_story(sentence: str, first: Passage, second: Passage) -> bool:
    """Titles that share a word, passages that both name something, or a sentence that names an
    outlet: one story, which two outlets may tell differently ("the Herald counted 18,000, while
    the Ledger counted 23,000")."""
    one, other = first.chunk, second.chunk
    said = {w.lower() for w in words(sentence)}
    return bool(content_words(one.title) & content_words(other.title)
                or names(f"{one.title}. {one.text}") & names(f"{other.title}. {other.text}")
                or {outlet_name(one.source), outlet_name(other.source)} & said)


_CLAUSE_BREAK = re.compile(r",?\s+(?:and|while|whereas|but)\s+|;\s*")


def _clause_each(sentence: str, haystacks: list[tuple[str, str]]) -> bool:
    """Each clause of the sentence is one passage's on its own ("400 dock workers walked out, and the
    council approved the ferry route"), so two stories are told side by side, not stitched into one
    claim ("the Northgate tram extension will go to the Westbury and Crane Street branch libraries").
    haystacks: each passage as written and with its figures in digits, as `support` compares them."""
    clauses = [c for c in _CLAUSE_BREAK.split(sentence) if content_words(c)]
    return len(clauses) > 1 and all(
        any(support_text(c, text, (spelled_as_digits(c), in_digits)) >= MIN_OVERLAP for text, in_digits in haystacks)
        for c in clauses
    )


# A sentence's verification depends only on its text, the sources it cites and the passages: the
# streamed answer re-verifies every sentence at each new one, then the final Answer once more.
SentenceMemo = dict[tuple[str, tuple[int, ...]], tuple[VerifiedSentence, bool]]


def verify(
    answer: str, passages: list[Passage], memo: SentenceMemo | None = None, question: str = "",
    today: dt.date | None = None,
) -> Verification:
    """Keep, correct, add or drop each sentence's citations by what the passages say.

    The answer is checked as it will be shown, markup and links removed first: a figure inside
    "javascript:alert(1)" is no claim to support. memo: results of earlier calls with these same
    passages (question and today), reused and added to. question: what the answer's "said this"
    refers to; today: the day its "this week" or "yesterday" counts from."""
    answer = plain_text(answer)
    if not answer.strip() or (_REFUSAL.search(answer) and len(answer) < REFUSAL_MAX_CHARS):
        return Verification([], refused=True)
    memo = {} if memo is None else memo
    sentences: list[VerifiedSentence] = []
    corrected = removed = 0
    for text, cited in split_answer(answer):
        text = with_asked_quote(text, question)
        key = (text, tuple(cited))
        if key not in memo:
            window = relative_window(text, today) if today else None
            memo[key] = _verified_sentence(text, cited, passages if window is None else _within(passages, window))
        sentence, was_corrected = memo[key]
        sentences.append(replace(sentence, citations=list(sentence.citations), quotes=dict(sentence.quotes)))
        corrected += was_corrected
        removed += not sentence.verified
    refused = not any(s.verified for s in sentences)
    return Verification(sentences, refused, corrected, removed)


# A story published the day after still reports "yesterday's" news; one the day before, a preview.
REPORTING_SLACK = dt.timedelta(days=1)


def _within(passages: list[Passage], window: DateRange) -> list[Passage]:
    """The passages, those published outside the days a sentence's "this week" names emptied (kept
    in place, so the numbers still match): "Mississippi was hit by historic flooding this week" was
    verified by a 2020 story, its "this week" copied from the question."""
    first = window.start - REPORTING_SLACK if window.start else dt.date.min
    last = window.end + REPORTING_SLACK if window.end else dt.date.max
    emptied = {"text": "", "title": ""}
    return [p if first <= p.chunk.published <= last else Passage(chunk=p.chunk.model_copy(update=emptied), score=p.score)
            for p in passages]


def _verified_sentence(
    text: str, cited: list[int], passages: list[Passage], reattribute: bool = True
) -> tuple[VerifiedSentence, bool]:
    """One sentence of an answer checked against the passages; and whether its citations changed."""
    valid_cited = [n for n in dict.fromkeys(cited) if 1 <= n <= len(passages)]
    scores = {n: support(text, passages[n - 1]) for n in range(1, len(passages) + 1)}
    kept = [n for n in valid_cited if scores[n] >= MIN_OVERLAP]
    paired = False
    if not kept:
        best = max(scores, key=lambda n: scores[n], default=None)
        if best is not None and scores[best] >= MIN_OVERLAP:
            kept = [best]
        else:
            kept, paired = _pair_support(text, passages, valid_cited), True
    # The claim is there, but someone else makes it. Each passage of a pair must agree: one
    # passage's speaker and the other's words make a quote nobody said.
    claimed_by_others = [misattributed(text, passages[n - 1].chunk.text, passages[n - 1].chunk.source) for n in kept]
    if kept and (any if paired else all)(claimed_by_others):
        kept = []
    if paired and kept and stitched(text, _article_texts([passages[n - 1] for n in kept]),
                                    [passages[n - 1].chunk.source for n in kept]):
        kept = []
    corrected = kept != valid_cited or len(valid_cited) != len(cited)
    if not kept:
        repaired = _reattributed(text, valid_cited, passages) if reattribute else None
        return repaired or (VerifiedSentence(text, [], verified=False), corrected)
    # "According to the committee, the committee ...", said by the passage in its own voice: the
    # claim stands, credited to whom the passage credits it.
    text = circular(text, passages[kept[0] - 1].chunk.text) or text
    quotes = {n: best_quote(text, passages[n - 1])[1] for n in kept}
    # A sentence two passages support only together is credited to both: each said only its part.
    speakers = [speaker_of(quotes[n], passages[n - 1]) for n in (kept if paired else kept[:1])]
    speaker = " and ".join(dict.fromkeys(speakers))
    attributed = attribute(text, speaker, quotes[kept[0]])
    return VerifiedSentence(attributed, kept, True, quotes, kept != valid_cited, speaker), corrected


def _reattributed(text: str, cited: list[int], passages: list[Passage]) -> tuple[VerifiedSentence, bool] | None:
    """The sentence checked again credited to whom a passage credits its claim, when that verifies:
    the claim is the passage's and only its speaker is wrong (`recrediting.reattributed`). The cited
    passages are tried first."""
    for n in [*cited, *(n for n in range(1, len(passages) + 1) if n not in cited)]:
        repaired = reattributed(text, passages[n - 1].chunk.text)
        if repaired:
            sentence, _ = _verified_sentence(repaired, [n], passages, reattribute=False)
            if sentence.verified:
                return sentence, True
    return None
