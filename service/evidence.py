"""Evidence selection: from each retrieved passage keep the sentences that bear on the question.

Small models read one relevant sentence far better than five noisy paragraphs, and every token
saved is prompt time on a CPU. The kept window is contiguous, so it is still an exact slice of
the article and quotes taken from it stay exact substrings.
"""

from __future__ import annotations

from collections.abc import Callable

from service.chunking import sentence_spans
from service.citations import content_words, names, numbers
from service.domain import Passage


def relevance(sentence: str, question_words: set[str], question_keys: set[str]) -> float:
    words = content_words(sentence)
    keys = names(sentence) | numbers(sentence)
    return len(words & question_words) + 2 * len(keys & question_keys)


def focus(passage: Passage, question: str, max_tokens: int, count: Callable[[str], int]) -> Passage:
    """The passage cut to its best window of consecutive sentences within max_tokens."""
    chunk = passage.chunk
    if max_tokens <= 0 or count(chunk.text) <= max_tokens:
        return passage
    spans = sentence_spans(chunk.text)
    q_words = content_words(question)
    q_keys = {w.lower() for w in names(" " + question)} | numbers(question)
    sizes = [count(chunk.text[s:e]) for s, e, _ in spans]
    scores = [relevance(chunk.text[s:e].lower(), q_words, q_keys) for s, e, _ in spans]
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
