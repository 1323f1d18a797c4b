"""Property-based tests: the parser and the verifier never crash, quotes stay exact substrings."""

from __future__ import annotations

import datetime as dt
import re
import string

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


# --- issue 15: the inputs the first round of fuzzing never drew ---------------------------------

# Every time word the resolver knows, so the extreme dates below meet each rule's arithmetic.
TIME_WORDS = ["today", "yesterday", "the day before yesterday", "3 days ago", "the past 30 days", "this week",
              "last week", "this month", "last month", "this year", "on Monday", "last Sunday", "in December",
              "in January 9999", "March 3", "December 31 9999", "2026-13-45", "0001-01-01"]
# Any text, lone surrogates and all: what a JSON string can decode to.
ANY_TEXT = st.text(alphabet=st.characters(codec=None), max_size=200)
# Markup-shaped pieces, so the draws meet the patterns far more often than random text does.
MARKUP_TEXT = st.lists(st.sampled_from(["<", ">", "a", "script", "[", "]", "(", ")", "www.", "x.example/", " ",
                                        "javascript:", "!", "/", "http://", "<a ", "</", "\r", "<!--", "?", ":"]),
                       max_size=30).map("".join)
# What would still be a link: a scheme or www. with something after it, a whole Markdown link.
LINK_LEFT = re.compile(r"\b(?:javascript:|www\.)\S|\[[^\]]*\]\([^)]*\)", re.IGNORECASE)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(TIME_WORDS), st.dates(min_value=dt.date.min, max_value=dt.date.max))
def test_time_words_resolve_at_the_ends_of_the_calendar(words: str, as_of: dt.date) -> None:
    from service.timewords import resolve_time_words

    window = resolve_time_words(f"What happened {words}?", as_of)
    if window.start and window.end:
        assert window.start <= window.end


@settings(max_examples=500, deadline=None)
@given(ANY_TEXT | MARKUP_TEXT)
def test_plain_text_has_no_markup_or_links_and_is_stable(text: str) -> None:
    from service.plain_text import plain_text

    plain = plain_text(text)
    assert plain_text(plain) == plain
    assert not LINK_LEFT.search(plain), plain
    # What HTML reads as the start of a tag: "<" then an ASCII letter, "!", "/" or "?" ("<À" is text).
    tag_starts = set(string.ascii_letters + "!/?")
    assert not any(plain[i] == "<" and plain[i + 1 : i + 2] in tag_starts for i in range(len(plain) - 1))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=8,
)
RECORD_KEYS = ["title", "text", "published_at", "url", "source", "authors", "id"]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(RECORD_KEYS), JSON_VALUES | st.sampled_from(
    ["2026-03-02", "https://x.example/a", "javascript:alert(1)", "../../etc/passwd", "   ", "Title"])))
def test_any_record_is_an_article_or_a_reason(record: dict) -> None:
    from service.ingest.parse import article_from_record, has_lone_surrogate
    from service.plain_text import is_web_url

    try:
        article = article_from_record(record)
    except InvalidArticle as exc:
        reason = str(exc)
        assert reason, "every rejection carries a reason"
        return
    assert article.title.strip() and article.text.strip()
    assert article.url is None or is_web_url(article.url)
    assert "/" not in article.id and not article.id.startswith(".")
    assert not any(has_lone_surrogate(value) for value in (article.title, article.text, article.source, article.id))
