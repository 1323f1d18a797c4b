"""Evidence selection: from each retrieved passage keep the sentences that bear on the question.

Small models read one relevant sentence far better than five noisy paragraphs, and every token
saved is prompt time on a CPU. The kept window is contiguous, so it is still an exact slice of
the article and quotes taken from it stay exact substrings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from service.answer_types import holds_kind, question_kind
from service.domain import Passage
from service.prompting import is_addressed_to_a_model
from service.settings import RetrievalSettings
from service.text import content_words, names, numbers, opens_a_quote, sentence_spans

# A name or figure shared with the question says more than a shared common word.
KEY_WEIGHT = 2


def question_keys(question: str) -> set[str]:
    """The names and figures of a question, as `relevance` compares them."""
    return names(question) | numbers(question)


def relevance(sentence: str, question_words: set[str], keys: set[str]) -> float:
    """Shared content words, plus names and figures shared with the question counted double.

    The sentence is taken as written, since names are found by their capital letters; its first
    word counts too ("Whitfield said ..."): a capitalised common word matches no question name.
    """
    shared_keys = (names(sentence, first_words=True) | numbers(sentence)) & keys
    return len(content_words(sentence) & question_words) + KEY_WEIGHT * len(shared_keys)


def focus(passage: Passage, question: str, max_tokens: int, count: Callable[[str], int]) -> Passage:
    """The passage cut to its best window of consecutive sentences within max_tokens."""
    chunk = passage.chunk
    if max_tokens <= 0 or count(chunk.text) <= max_tokens:
        return passage
    spans = sentence_spans(chunk.text)
    q_words = content_words(question)
    q_keys = question_keys(question)
    sizes = [count(chunk.text[s:e]) for s, e, _ in spans]
    scores = [relevance(chunk.text[s:e], q_words, q_keys) for s, e, _ in spans]
    best = (-1.0, 0, 0)
    for first in range(len(spans)):
        used = score = 0.0
        for last in range(first, len(spans)):
            if used + sizes[last] > max_tokens and last > first:
                break
            used += sizes[last]
            score += scores[last]
            # Ties go to the earlier window: the lead of a news story carries the most.
            if score > best[0]:
                best = (score, first, last)
    _, first, last = best
    start, end = spans[first][0], spans[last][1]
    focused = chunk.model_copy(
        update={"start": chunk.start + start, "end": chunk.start + end, "text": chunk.text[start:end]}
    )
    return passage.model_copy(update={"chunk": focused})


# A sentence that holds the kind of thing asked for (a sum for "what did it cost") gets this much:
# about two shared content words' worth, so topic still decides between two such sentences.
KIND_BONUS = 2.0
# Earlier passages are ranked better by search: a sentence's score is discounted by its passage's rank.
RANK_DISCOUNT = 0.1
# Each word the passage's title shares with the question lifts all its sentences a little.
TITLE_WORD_BONUS = 0.5
# A sentence opening with a pronoun or "The company" cannot be read alone: its predecessor names who.
LEANS_BACK = re.compile(r"^[\"“']?(he|she|they|it|this|that|these|those|his|her|their|its|the (company|group|"
                         r"agency|firm|official|minister|president|move|report|plan|bill|decision))\b", re.I)

# '"We are ready," she said.': a quotation credited to a pronoun, named in a sentence before.
_PRONOUN_SPEAKER = re.compile(r"[,\"”]\s*(?:he|she|they) (?:said|says|told|added|asked|explained|warned)\b"
                              r"|\b(?:said|says|added) (?:he|she)\b", re.I)


def closes_a_quote(sentence: str) -> bool:
    """The sentence's first quotation mark closes a quotation opened in a sentence before:
    'Today the van gets to retire," he said.'"""
    first = re.search(r"[\"“”]", sentence)
    if not first or first.group() == "“":
        return False
    return first.group() == "”" or (first.start() > 0 and not sentence[first.start() - 1].isspace())


# The " … " between two sentences kept from one passage: tokens the budget must count too.
SEPARATOR_TOKENS = 2


@dataclass(frozen=True)
class ScoredSentence:
    passage: int  # index in the candidates
    start: int
    end: int
    score: float
    tokens: int


def score_sentences(question: str, passages: list[Passage], count: Callable[[str], int]) -> list[ScoredSentence]:
    """Every sentence of every candidate, scored for answering the question."""
    q_words = content_words(question)
    q_keys = question_keys(question)
    kind = question_kind(question)
    scored = []
    for index, passage in enumerate(passages):
        text = passage.chunk.text
        title_bonus = TITLE_WORD_BONUS * len(content_words(passage.chunk.title) & q_words)
        for start, end, _ in sentence_spans(text):
            sentence = text[start:end]
            score = relevance(sentence, q_words, q_keys) + title_bonus
            if holds_kind(sentence, kind, question):
                score += KIND_BONUS
            score /= 1 + RANK_DISCOUNT * index
            scored.append(ScoredSentence(index, start, end, score, count(sentence)))
    return scored


def score_leads(question: str, passages: list[Passage], count: Callable[[str], int]) -> list[ScoredSentence]:
    """Asked for news in general ("What's the news today?"), no sentence answers better than
    another by its words; an article's opening sentences tell its story (the lead), so each
    article's first sentence comes before any article's second."""
    scored = []
    for index, passage in enumerate(passages):
        text = passage.chunk.text
        for position, (start, end, _) in enumerate(sentence_spans(text)):
            score = 1 / (1 + position) / (1 + RANK_DISCOUNT * index)
            scored.append(ScoredSentence(index, start, end, score, count(text[start:end])))
    return scored


def leans_back(sentence: str) -> bool:
    """The sentence needs the one before it to say who speaks or what it is about."""
    return bool(LEANS_BACK.match(sentence) or _PRONOUN_SPEAKER.search(sentence) or closes_a_quote(sentence))


def _with_context(best: ScoredSentence, scored: list[ScoredSentence], text: str) -> list[ScoredSentence]:
    """The sentence with the neighbour it needs: the one before, when it opens with a pronoun
    ("He said ..."), credits a quotation to one ('"...," she said') or closes a quotation opened
    before; the one after, when it opens a quotation it does not close ("Battery fires burn hot.|
    We will be here a while," Adeyemi said): otherwise the speaker is lost."""
    same = [s for s in scored if s.passage == best.passage]
    sentence = text[best.start : best.end]
    group = [best]
    if leans_back(sentence):
        before = [s for s in same if s.end <= best.start]
        if before:
            group.insert(0, max(before, key=lambda s: s.end))
    if opens_a_quote(sentence):
        after = [s for s in same if s.start >= best.end]
        if after:
            group.append(min(after, key=lambda s: s.start))
    return group


def _read_beside(order: list[ScoredSentence], group: list[ScoredSentence]) -> None:
    """Adds a sentence and its context (`_with_context`) to a passage's reading order: at the end,
    or, when one of them is already there, beside it ("He said ..." right after the sentence that
    names him), so a sentence read out of article order still reads with what it needs."""
    placed = [s for s in group if any(s.start == o.start for o in order)]
    new = [s for s in group if not any(s.start == o.start for o in order)]
    if not placed:
        order.extend(new)
        return
    anchor = next(i for i, o in enumerate(order) if o.start == placed[0].start)
    before = [s for s in new if s.start < placed[0].start]
    after = [s for s in new if s.start > placed[0].start]
    order[anchor + 1 : anchor + 1] = after
    order[anchor:anchor] = before


def _comparable(sentence: str) -> str:
    return " ".join(re.findall(r"\w+", sentence.lower()))


SentenceScorer = Callable[[str, list[Passage], Callable[[str], int]], list[ScoredSentence]]


def select_sentences(
    question: str,
    passages: list[Passage],
    budget_tokens: int,
    count: Callable[[str], int],
    scorer: SentenceScorer = score_sentences,
    min_score: float = 0.0,
    best_first: bool = False,
) -> list[Passage]:
    """The best sentences across all candidates within budget_tokens, grouped by passage.

    Sentences scoring min_score or less are never chosen. Each passage keeps its chosen sentences
    in article order, or with best_first the best first (a sentence and the neighbour it needs stay
    together), joined by an ellipsis: every sentence is an exact slice of its article, so quotes
    stay exact. A sentence that cannot be read alone brings its neighbour (`_with_context`).
    """
    scored = scorer(question, passages, count)
    order = sorted(scored, key=lambda s: -s.score)
    chosen: dict[int, dict[int, ScoredSentence]] = {}
    already_read: set[str] = set()
    reading_order: dict[int, list[ScoredSentence]] = {}
    unread_context: dict[int, list[ScoredSentence]] = {}
    used = 0
    for best in order:
        if best.score <= min_score:
            break
        # A wire story run by two outlets, or a sentence two overlapping chunks share, is read once.
        sentence = passages[best.passage].chunk.text[best.start : best.end]
        # Words addressed to a model never reach the prompt (prompting.neutralize): no budget for them.
        said = _comparable(sentence)
        if said in already_read or is_addressed_to_a_model(sentence):
            continue
        group = _with_context(best, scored, passages[best.passage].chunk.text)
        new = [s for s in group if s.start not in chosen.get(s.passage, {})]
        # Each sentence may sit beside another of its passage, joined by an ellipsis (a token or two).
        cost = sum(s.tokens + SEPARATOR_TOKENS for s in new)
        if used + cost > budget_tokens:
            continue
        for s in new:
            chosen.setdefault(s.passage, {})[s.start] = s
            already_read.add(_comparable(passages[s.passage].chunk.text[s.start : s.end]))
        if group == [best] and leans_back(sentence):
            # Its passage starts with it ("Today the van gets to retire," he said): read last, never first.
            unread_context.setdefault(best.passage, []).append(best)
        else:
            _read_beside(reading_order.setdefault(best.passage, []), group)
        used += cost
    result = []

    def rank(index: int) -> tuple[bool, float]:
        # Passages in the order of their best sentence: the model reads the strongest evidence first.
        # With best_first, a passage holding only sentences that lack their context follows the others.
        readable = reading_order.get(index) if best_first else list(chosen[index].values())
        return not readable, -max(s.score for s in readable or chosen[index].values())

    ranked = sorted(chosen, key=rank)
    for index in ranked:
        chunk = passages[index].chunk
        if best_first:
            spans = reading_order.get(index, []) + unread_context.get(index, [])
        else:
            spans = sorted(chosen[index].values(), key=lambda s: s.start)
        text = " … ".join(chunk.text[s.start : s.end] for s in spans)
        first, last = min(s.start for s in spans), max(s.end for s in spans)
        shown = chunk.model_copy(update={"text": text, "start": chunk.start + first, "end": chunk.start + last})
        result.append(passages[index].model_copy(update={"chunk": shown}))
    return result


def select_evidence(
    question: str,
    passages: list[Passage],
    settings: RetrievalSettings,
    count: Callable[[str], int],
    learned_scorer: SentenceScorer | None = None,
) -> list[Passage]:
    """What the model reads: the best sentences across candidates ("sentences"), scored by the
    learned scorer when one is given and by the word-overlap rules otherwise; or each passage cut
    to its most relevant window ("windows", the earlier method)."""
    best_first = settings.evidence_order == "best_first"
    if settings.evidence == "sentences" and learned_scorer:
        return select_sentences(question, passages, settings.evidence_tokens, count, learned_scorer,
                                settings.evidence_min_probability, best_first)
    if settings.evidence == "sentences":
        return select_sentences(question, passages, settings.evidence_tokens, count, best_first=best_first)
    return [focus(p, question, settings.passage_tokens, count) for p in passages]
