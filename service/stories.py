"""A day's articles as stories: syndicated copies and reports of one event grouped.

Near-identical texts (a wire story run by two outlets) collapse first; then articles about the
same event join when their vectors are close and they share a name. The digest summarizes one
story at a time; a question about no story in particular ("What happened yesterday?") reads one
article of each (`retrieval`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from service.domain import Article
from service.text import names

DUPLICATE_JACCARD = 0.6
SAME_EVENT_COSINE = 0.6
SAME_EVENT_COSINE_NO_NAME = 0.8


def shingles(text: str, size: int = 5) -> set[int]:
    words = re.findall(r"\w+", text.lower())
    return {hash(tuple(words[i : i + size])) for i in range(max(len(words) - size + 1, 1))}


def jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / max(len(a | b), 1)


def key_names(article: Article) -> set[str]:
    lead = article.text[:600]
    return {n for n in names(article.title, first_words=True) | names(lead) if len(n) > 3}


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        self.parent[self.find(i)] = self.find(j)


def group_stories(
    articles: Sequence[Article], vectors: dict[str, list[float]]
) -> tuple[list[list[int]], dict[int, int]]:
    """Clusters of article indexes, and duplicate index -> the index it copies."""
    n = len(articles)
    texts = [shingles(a.text) for a in articles]
    duplicates: dict[int, int] = {}
    for j in range(n):
        for i in range(j):
            if i not in duplicates and jaccard(texts[i], texts[j]) >= DUPLICATE_JACCARD:
                duplicates[j] = i
                break
    matrix = np.array([vectors.get(a.id, [0.0]) for a in articles], dtype=np.float32)
    similarity = matrix @ matrix.T if n and matrix.shape[1] > 1 else np.zeros((n, n))
    names_of = [key_names(a) for a in articles]
    groups = _UnionFind(n)
    for j, i in duplicates.items():
        groups.union(i, j)
    for i in range(n):
        for j in range(i + 1, n):
            shared = names_of[i] & names_of[j]
            close = similarity[i, j] >= (SAME_EVENT_COSINE if shared else SAME_EVENT_COSINE_NO_NAME)
            if close:
                groups.union(i, j)
    clusters: dict[int, list[int]] = {}
    for i in range(n):
        clusters.setdefault(groups.find(i), []).append(i)
    return list(clusters.values()), duplicates
