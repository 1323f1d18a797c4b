"""Answer, retrieval, refusal and citation metrics. Pure functions, unit-tested on known cases."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence

from service.domain import Passage
from service.split_answer import split_answer
from service.support import support
from service.text import spelled_as_digits

_PUNCTUATION = re.compile(r"[^\w\s]|_")  # ASCII's and Unicode's punctuation and symbols
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_LETTER = re.compile(r"^\W*\(?([A-D])[).:\s]|\b(?:option|answer(?: is)?)\s*\(?([A-D])\b", re.IGNORECASE)


def normalize(text: str) -> str:
    """SQuAD normalisation: lower case, no punctuation, no articles, single spaces. Punctuation is
    Unicode's too: a gold answer written '“Sinners”' is contained in 'the film "Sinners"'. Figures
    in words are digits: a gold "Four" is the answer "4 times"."""
    text = _PUNCTUATION.sub("", spelled_as_digits(text).lower())
    return " ".join(_ARTICLES.sub(" ", text).split())


def strip_citations(text: str) -> str:
    return re.sub(r"\[\d+(?:\s*,\s*\d+)*\]", "", text)


def exact_match(prediction: str, golds: Sequence[str]) -> float:
    pred = normalize(strip_citations(prediction))
    return float(any(pred == normalize(g) for g in golds))


def token_f1(prediction: str, golds: Sequence[str]) -> float:
    pred_tokens = normalize(strip_citations(prediction)).split()
    best = 0.0
    for gold in golds:
        gold_tokens = normalize(gold).split()
        common = sum((Counter(pred_tokens) & Counter(gold_tokens)).values())
        if common:
            precision, recall = common / len(pred_tokens), common / len(gold_tokens)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def contained(prediction: str, golds: Sequence[str]) -> float:
    pred = normalize(strip_citations(prediction))
    return float(any(normalize(g) and normalize(g) in pred for g in golds))


def pick_choice(prediction: str, choices: Sequence[str]) -> int | None:
    """Which option an answer picks: a letter (A-D), else the choice it contains or overlaps most."""
    text = strip_citations(prediction)
    letter = _LETTER.search(text)
    if letter:
        return "ABCD".index((letter.group(1) or letter.group(2)).upper())
    found = [i for i, choice in enumerate(choices) if normalize(choice) and normalize(choice) in normalize(text)]
    if len(found) == 1:
        return found[0]
    scores = [token_f1(text, [choice]) for choice in choices]
    best = max(range(len(choices)), key=lambda i: scores[i])
    return best if scores[best] > 0 else None


def picked_letter(reply: str, options: int) -> int | None:
    """The option a reply asked for a letter names ("B", "(c).", "B) Chicago", "The answer is B"),
    if it is one of the options."""
    match = re.match(r"\W*([A-D])\b", reply.strip(), re.IGNORECASE) or _LETTER.search(reply)
    letter = next((group for group in match.groups() if group), None) if match else None
    index = "ABCD".index(letter.upper()) if letter else None
    return index if index is not None and index < options else None


def recall_at_k(retrieved: Sequence[str], gold: Sequence[str], k: int) -> float | None:
    if not gold:
        return None
    return len(set(retrieved[:k]) & set(gold)) / len(set(gold))


def reciprocal_rank(retrieved: Sequence[str], gold: Sequence[str]) -> float | None:
    if not gold:
        return None
    for rank, item in enumerate(retrieved, start=1):
        if item in gold:
            return 1.0 / rank
    return 0.0


def answer_in_passages(passage_texts: Sequence[str], golds: Sequence[str], k: int) -> float:
    joined = normalize(" ".join(passage_texts[:k]))
    return float(any(normalize(g) and normalize(g) in joined for g in golds))


def refusal_scores(predicted: Sequence[bool], unanswerable: Sequence[bool]) -> dict[str, float | None]:
    true_positive = sum(p and u for p, u in zip(predicted, unanswerable, strict=True))
    precision = true_positive / sum(predicted) if any(predicted) else None
    recall = true_positive / sum(unanswerable) if any(unanswerable) else None
    return {"refusal_precision": precision, "refusal_recall": recall}


def citation_scores(raw_answer: str, passages: Sequence[Passage], threshold: float = 0.5) -> dict[str, float | None]:
    """Judge the model's own [n] markers with the project's support check.

    precision: cited (sentence, passage) pairs where the passage supports the sentence;
    recall: sentences that carry at least one supporting citation.
    """
    pairs = supported_pairs = sentences = supported_sentences = 0
    for sentence, cited in split_answer(raw_answer):
        sentences += 1
        good = [n for n in cited if 1 <= n <= len(passages) and support(sentence, passages[n - 1]) >= threshold]
        pairs += len(cited)
        supported_pairs += len(good)
        supported_sentences += bool(good)
    return {
        "citation_precision": supported_pairs / pairs if pairs else None,
        "citation_recall": supported_sentences / sentences if sentences else None,
    }


def mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None


def percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]
