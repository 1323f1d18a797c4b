from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from service.chunking import chunk_article, embedding_text
from service.domain import Article
from service.tokens import count_tokens


def make_article(text: str) -> Article:
    return Article.build(title="T", text=text, published=dt.date(2026, 3, 2), url="https://x.example/a")


def sentences(n: int) -> str:
    return " ".join(f"Sentence number {i} says that the ferry carried {i * 7} people." for i in range(n))


def test_chunks_are_exact_slices_within_the_token_limit() -> None:
    article = make_article(sentences(40) + "\n\n" + sentences(30))
    chunks = chunk_article(article, max_tokens=60, overlap_tokens=15, count=count_tokens)
    assert len(chunks) > 5
    for chunk in chunks:
        assert article.text[chunk.start : chunk.end] == chunk.text
        assert count_tokens(chunk.text) <= 60
        assert chunk.text[0].isupper() and chunk.text.endswith(".")  # sentence boundaries
    assert [c.position for c in chunks] == list(range(len(chunks)))
    assert chunks[0].start == 0 and chunks[-1].end == len(article.text)


def test_adjacent_chunks_overlap_and_cover_the_text() -> None:
    article = make_article(sentences(30))
    chunks = chunk_article(article, max_tokens=50, overlap_tokens=20, count=count_tokens)
    for before, after in itertools.pairwise(chunks):
        assert after.start < before.end  # overlap
        assert after.start > before.start  # progress


def test_a_sentence_longer_than_a_chunk_is_split_at_words() -> None:
    article = make_article("word " * 400 + "end.")
    chunks = chunk_article(article, max_tokens=50, overlap_tokens=10, count=count_tokens)
    assert len(chunks) >= 8
    assert all(count_tokens(c.text) <= 50 for c in chunks)


def test_chunk_ids_change_with_content_and_title_is_embedded() -> None:
    a = chunk_article(make_article("One. Two."), 50, 10, count_tokens)
    b = chunk_article(make_article("One. Three."), 50, 10, count_tokens)
    assert a[0].id != b[0].id
    assert embedding_text(a[0]).startswith("T\n")


def test_special_tokens_in_text_are_counted_as_text() -> None:
    assert count_tokens("<|endoftext|>") > 1


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=1500),
    st.integers(min_value=32, max_value=120),
    st.integers(min_value=0, max_value=40),
)
def test_chunking_never_crashes_and_offsets_stay_inside(text: str, max_tokens: int, overlap: int) -> None:
    if not text.strip():
        return
    article = make_article(text)
    for chunk in chunk_article(article, max_tokens, overlap, count_tokens):
        assert 0 <= chunk.start < chunk.end <= len(text)
        assert text[chunk.start : chunk.end] == chunk.text
