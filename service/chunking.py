"""Article -> token-sized chunks on sentence and paragraph boundaries, with overlap.

Every chunk is a contiguous slice of the article text (`text[start:end]`), so a quote taken
from a chunk is always an exact substring of the stored article.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from service.domain import Article, Chunk
from service.settings import ChunkingSettings
from service.text import sentence_spans
from service.tokens import count_tokens


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    tokens: int
    paragraph_end: bool


def chunk_id(article_id: str, content_hash: str, position: int) -> str:
    """Ids carry the content hash, so a changed article never collides with its old chunks."""
    return f"{article_id}-{content_hash[:8]}-{position:04d}"


def _split_long(text: str, start: int, end: int, limit: int, count: Callable[[str], int]) -> list[Span]:
    """A sentence longer than a chunk is cut at word boundaries."""
    pieces: list[Span] = []
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    piece_start = words[0][0]
    piece_end = piece_start
    for w_start, w_end in words:
        if piece_end > piece_start and count(text[piece_start:w_end]) > limit:
            pieces.append(Span(piece_start, piece_end, count(text[piece_start:piece_end]), False))
            piece_start = w_start
        piece_end = w_end
    pieces.append(Span(piece_start, piece_end, count(text[piece_start:piece_end]), True))
    return pieces


def split_spans(text: str, max_tokens: int, count: Callable[[str], int]) -> list[Span]:
    spans: list[Span] = []
    for start, end, para in sentence_spans(text):
        tokens = count(text[start:end])
        if tokens <= max_tokens:
            spans.append(Span(start, end, tokens, para))
        else:
            pieces = _split_long(text, start, end, max_tokens, count)
            pieces[-1] = Span(pieces[-1].start, pieces[-1].end, pieces[-1].tokens, para)
            spans.extend(pieces)
    return spans


def pack(spans: list[Span], max_tokens: int, overlap_tokens: int) -> list[tuple[int, int]]:
    """Greedy packing of sentence spans; each chunk repeats the tail of the previous one."""
    ranges: list[tuple[int, int]] = []
    index = 0
    while index < len(spans):
        first = index
        used = 0
        while index < len(spans) and (index == first or used + spans[index].tokens <= max_tokens):
            used += spans[index].tokens
            index += 1
        ranges.append((spans[first].start, spans[index - 1].end))
        if index >= len(spans):
            break
        back = index
        carried = 0
        budget = min(overlap_tokens, max_tokens - spans[index].tokens)
        while back - 1 > first and carried + spans[back - 1].tokens <= budget:
            back -= 1
            carried += spans[back].tokens
        index = back
    return ranges


def chunk_article(
    article: Article, max_tokens: int, overlap_tokens: int, count: Callable[[str], int]
) -> list[Chunk]:
    spans = split_spans(article.text, max_tokens, count)
    return [
        Chunk(
            id=chunk_id(article.id, article.content_hash, position),
            article_id=article.id,
            position=position,
            start=start,
            end=end,
            text=article.text[start:end],
            title=article.title,
            published=article.published,
            source=article.source,
            url=article.url,
            content_hash=article.content_hash,
        )
        for position, (start, end) in enumerate(pack(spans, max_tokens, overlap_tokens))
    ]


def embedding_text(chunk: Chunk) -> str:
    """The title is embedded with every chunk: it carries the story's names and topic."""
    return f"{chunk.title}\n{chunk.text}"


def article_chunks(article: Article, sizes: ChunkingSettings) -> list[Chunk]:
    """The article's chunks at the configured sizes: ingest, summaries and digests cut alike."""
    return chunk_article(article, sizes.max_tokens, sizes.overlap_tokens, count_tokens)
