"""Property-based tests: the parser and the verifier never crash, quotes stay exact substrings."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from service.citations import verify
from service.domain import Chunk, Passage
from service.ingest.parse import InvalidArticle, decode_text, parse_native

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=800)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_parser_accepts_or_rejects_any_bytes_cleanly(raw: bytes) -> None:
    try:
        article = parse_native(decode_text(raw))
    except InvalidArticle as exc:
        message = str(exc)
        assert message, "every rejection carries a reason"
        return
    assert article.title and article.text


@settings(max_examples=150, deadline=None)
@given(TEXT, TEXT)
def test_parser_on_well_formed_headers(title: str, body: str) -> None:
    try:
        article = parse_native(f"date 2026-03-02 {title}\n\n{body}\nhttps://x.example/a")
    except InvalidArticle:
        return
    assert article.published == dt.date(2026, 3, 2)
    assert article.url == "https://x.example/a"


@settings(max_examples=200, deadline=None)
@given(TEXT, st.lists(TEXT.filter(str.strip), min_size=1, max_size=3))
def test_verifier_never_cites_outside_and_quotes_are_substrings(answer: str, texts: list[str]) -> None:
    passages = [
        Passage(chunk=Chunk(id=f"c{i}", article_id=f"a{i}", position=0, start=0, end=len(t), text=t, title="T",
                            published=dt.date(2026, 3, 2), source="s.example", url=None, content_hash="h"),
                score=1.0)
        for i, t in enumerate(texts)
    ]
    result = verify(answer, passages)
    for sentence in result.sentences:
        assert all(1 <= n <= len(passages) for n in sentence.citations)
        for n, quote in sentence.quotes.items():
            assert quote in passages[n - 1].chunk.text
    assert result.refused == (not any(s.verified for s in result.sentences))
