"""Align each answer sentence to the passages that support it; trust no model citation.

What counts as support is `support`'s rules; here each sentence's citations are kept, corrected
or dropped by them, and the claim is credited to whoever the passage says makes it. No model is
needed, so every rule is unit-tested on hand-written cases.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from service.claimants import (
    credits_the_outlet,
    misattributed,
    opening_speaker,
    split_claimant,
    stitched,
    with_asked_quote,
)
from service.crediting import attribute, speaker_of, without_vague_source
from service.domain import Citation, DateRange, Passage
from service.hedges import kept_future, kept_hedge, states_a_proposal
from service.plain_text import plain_text
from service.prompting import is_addressed_to_a_model
from service.recrediting import circular, reattributed
from service.sentence_core import series_clauses, shorter_readings, without_asked_figures, without_asked_span
from service.split_answer import split_answer
from service.support import MIN_OVERLAP, MIN_OVERLAP_SHORT, article_texts, pair_support, support
from service.text import content_words, names, numbers, sentence_spans
from service.timewords import relative_window

_REFUSAL = re.compile(
    r"\b(articles|sources?|passages?|context)\b.{0,40}\b(do(es)? not|don't|doesn't)\b.{0,20}\b(say|mention|contain|provide|include)"
    r"|\bno (information|mention)\b|\bnot (mentioned|stated|specified)\b|\bi (do not|don't) know\b",
    re.IGNORECASE,
)
REFUSAL_TEXT = "The articles do not say."
# Passages a refusal or degraded answer shows: enough to check, few enough to read.
CLOSEST_PASSAGES = 3
# With no sentence sharing a word, a quote falls back to the passage's opening, this long.
FALLBACK_QUOTE_CHARS = 300
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
        window = relative_window(text, today) if today else None
        scoped = passages if window is None else _within(passages, window)
        if key not in memo:
            memo[key] = _verified_sentence(text, cited, scoped, question=question)
            if not memo[key][0].verified and window is not None and (unasked := without_asked_span(text, question)):
                # The question's "this week" copied into the answer is the asker's premise: without it,
                # the claim is checked against every passage (one months older is refused: `answer_age`).
                without_span = _verified_sentence(unasked, cited, passages, question=question)
                memo[key] = without_span if without_span[0].verified else memo[key]
        found = [memo[key]]
        if not memo[key][0].verified:
            # One sentence running the day's stories together: each clause is a claim of its own.
            clauses = [_verified_sentence(clause, cited, scoped, question=question) for clause in series_clauses(text)]
            found = [clause for clause in clauses if clause[0].verified] or found
        for sentence, was_corrected in found:
            sentences.append(replace(sentence, citations=list(sentence.citations), quotes=dict(sentence.quotes)))
            corrected += was_corrected
            removed += not sentence.verified
    refused = not any(s.verified for s in sentences)
    return Verification(sentences, refused, corrected, removed)


def with_other_support(verification: Verification, passages: list[Passage]) -> Verification:
    """Each kept sentence cited also to the other passages that support its claim alone, with their
    quotes. The model cites one passage where several say the claim; which one it chose is no reason
    to refuse: "Mayor Teresa Halvorsen" cited to a rent-cap story that never names Harborview answers
    "Who is the mayor of Harborview?" once the library story that says it is cited too (fixed q028)."""
    widened = []
    for sentence in verification.sentences:
        if not sentence.verified:
            widened.append(sentence)
            continue
        claim = without_vague_source(split_claimant(sentence.text)[1])
        others = [n for n in range(1, len(passages) + 1)
                  if n not in sentence.citations and support(claim, passages[n - 1]) >= MIN_OVERLAP
                  and not misattributed(sentence.text, passages[n - 1].chunk.text, passages[n - 1].chunk.source)]
        quotes = dict(sentence.quotes) | {n: best_quote(claim, passages[n - 1])[1] for n in others}
        widened.append(replace(sentence, citations=[*sentence.citations, *others], quotes=quotes))
    return replace(verification, sentences=widened)


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
    text: str, cited: list[int], passages: list[Passage], reattribute: bool = True, question: str = ""
) -> tuple[VerifiedSentence, bool]:
    """One sentence of an answer checked against the passages; and whether its citations changed."""
    # Which source the model read ("According to the first source") is no claim: the claim alone is checked.
    text = without_vague_source(text)
    valid_cited = [n for n in dict.fromkeys(cited) if 1 <= n <= len(passages)]
    scores = {n: support(text, passages[n - 1]) for n in range(1, len(passages) + 1)}
    kept = [n for n in valid_cited if scores[n] >= MIN_OVERLAP]
    paired = False
    if not kept:
        best = max(scores, key=lambda n: scores[n], default=None)
        if best is not None and scores[best] >= MIN_OVERLAP:
            kept = [best]
        else:
            kept, paired = pair_support(text, passages, valid_cited, question), True
    # The claim is there, but someone else makes it. Each passage of a pair must agree: one
    # passage's speaker and the other's words make a quote nobody said.
    claimed_by_others = [misattributed(text, passages[n - 1].chunk.text, passages[n - 1].chunk.source) for n in kept]
    if kept and (any if paired else all)(claimed_by_others):
        # Credited to what the story is about, which says nothing in it: the claim stands, credited anew.
        about_only = _uncredited(text, passages[kept[0] - 1])
        if reattribute and not paired and about_only:
            return _verified_sentence(about_only, cited, passages, reattribute=False, question=question)
        kept = []
    if paired and kept and stitched(text, article_texts([passages[n - 1] for n in kept]),
                                    [passages[n - 1].chunk.source for n in kept]):
        kept = []
    corrected = kept != valid_cited or len(valid_cited) != len(cited)
    if not kept:
        repaired = (_inner_speaker(text, valid_cited, passages) or _reattributed(text, valid_cited, passages)
                    or _supported_core(text, valid_cited, passages, question) if reattribute else None)
        return repaired or (VerifiedSentence(text, [], verified=False), corrected)
    # "According to the committee, the committee ...", said by the passage in its own voice: the
    # claim stands, credited to whom the passage credits it.
    text = _uncredited(text, passages[kept[0] - 1]) or text
    spoken = _speakers_own(text, kept, passages, question) if reattribute and not paired else None
    if spoken:
        return spoken, corrected
    quotes = {n: best_quote(text, passages[n - 1])[1] for n in kept}
    if all(states_a_proposal(text, quotes[n]) for n in kept):
        return VerifiedSentence(text, [], verified=False), corrected
    text = kept_future(kept_hedge(text, quotes[kept[0]]), quotes[kept[0]])
    # A sentence two passages support only together is credited to both: each said only its part.
    speakers = [speaker_of(quotes[n], passages[n - 1]) for n in (kept if paired else kept[:1])]
    speaker = " and ".join(dict.fromkeys(speakers))
    attributed = attribute(text, speaker, quotes[kept[0]])
    attributed = attributed[:1].upper() + attributed[1:]
    return VerifiedSentence(attributed, kept, True, quotes, kept != valid_cited, speaker), corrected


def _uncredited(text: str, passage: Passage) -> str | None:
    """The claim without a claimant who is only what it is about (`recrediting.circular`), its first
    word as the model wrote it ("farmers in Cresswell ...", to be credited anew), or None."""
    claim = circular(text, passage.chunk.text, passage.chunk.title)
    if not claim:
        return None
    # The claim's first word as the model wrote it; a pronoun replaced by its claimant stays as circular wrote it.
    return text[-len(claim) :] if text.endswith(claim[1:]) else claim


def _speakers_own(text: str, kept: list[int], passages: list[Passage], question: str) -> VerifiedSentence | None:
    """The outlet is no credit for what its story gives a named speaker: "According to the Valley
    Times, one storm does not end a drought", from '"One storm does not end a drought," said board
    chair Harriet Lowe', is hers (`recrediting.reattributed`); "According to the Metro Ledger, the fire
    began in the ventilation unit", from "Lumatek said the fire began in ...", is Lumatek's. Only
    when the speaker's credit verifies; otherwise the outlet's stands."""
    passage = passages[kept[0] - 1]
    if not credits_the_outlet(text, passage.chunk.source):
        return None
    credited = reattributed(text, passage.chunk.text)
    if not credited:
        return None
    sentence, _ = _verified_sentence(credited, kept, passages, reattribute=False, question=question)
    return sentence if sentence.verified else None


def _supported_core(
    text: str, cited: list[int], passages: list[Passage], question: str = ""
) -> tuple[VerifiedSentence, bool] | None:
    """The sentence without the trailing detail no passage gives (`sentence_core`), or without the
    figures it copied from the question, when one passage alone supports what is left: the reader
    gets the supported claim, never the unsupported detail.
    Not two passages together: a cut claim stitched from two stories ("two train disasters occurred
    in Ohio and New York", asked about Spain's) was a new wrong answer on the public set."""
    unasked = without_asked_figures(text, question)
    for reading in [*([unasked] if unasked else []), *shorter_readings(text)]:
        # What is left must be nearly all the passage's: "Helvane Foods will also build a wind farm beside
        # the Varden Bay plant", cut from "... for 4 million pounds", shares most words with a plant story.
        if max((support(reading, p) for p in passages), default=0.0) < MIN_OVERLAP_SHORT:
            continue
        sentence, _ = _verified_sentence(reading, cited, passages, reattribute=False)
        if sentence.verified:
            return sentence, True
    return None


def _inner_speaker(text: str, cited: list[int], passages: list[Passage]) -> tuple[VerifiedSentence, bool] | None:
    """"According to the school board, Superintendent Celia Marsh said ...": the claim is Marsh's
    and names her; the credit around it is the model's framing. When the sentence fails with that
    credit, what Marsh said is checked on its own, and the credit the passage does not give goes."""
    claimant, body = split_claimant(text)
    body = body[:1].upper() + body[1:]
    if not claimant or not opening_speaker(body):
        return None
    sentence, _ = _verified_sentence(body, cited, passages, reattribute=False)
    return (sentence, True) if sentence.verified else None


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
