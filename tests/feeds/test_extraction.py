"""Pages and feed HTML -> plain article text: the story stays, the boilerplate and scripts do not."""

from __future__ import annotations

import datetime as dt

import pytest

from service.domain import article_id_for
from service.feeds.extraction import ExtractionFailed, extract_page, html_to_text
from tests.feeds.samples import COOKIE, MENU, RELATED, page, story


def test_page_text_holds_the_story_and_not_the_boilerplate() -> None:
    s = story(1)
    extracted = extract_page(page(s), "https://herald.example/news/ferry-1")
    assert extracted.title == s.title
    assert extracted.text == s.text  # paragraphs kept apart, headline not repeated
    for junk in [*MENU, COOKIE, *RELATED, "Copyright", "INJECTED", "document.body"]:
        assert junk not in extracted.text
    assert extracted.published == dt.date(2026, 3, 2)
    assert extracted.authors == ["Ana Ruiz"]
    assert extracted.canonical_url == "https://herald.example/news/ferry-1"


def test_canonical_url_is_taken_only_from_the_same_site() -> None:
    s = story(2)
    same = extract_page(page(s, canonical="https://www.herald.example/ferry-2"), "https://herald.example/x?utm=1")
    assert same.canonical_url == "https://www.herald.example/ferry-2"
    # Another site's URL would let one page overwrite another outlet's article.
    other = extract_page(page(s, canonical="https://rival.example/ferry-2"), "https://herald.example/x")
    assert other.canonical_url == "https://herald.example/x"


def test_page_without_article_text_is_refused() -> None:
    with pytest.raises(ExtractionFailed):
        extract_page(b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "https://herald.example/")


def test_feed_html_becomes_plain_paragraphs() -> None:
    text = html_to_text('<p>One <b>bold</b> line.</p><script>alert(1)</script><p>Two <img src=x onerror="alert(2)"> lines.</p>')
    assert text == "One bold line.\n\nTwo lines."


def test_tracking_parameters_do_not_change_the_article_id() -> None:
    plain = article_id_for("https://herald.example/news/ferry", "", "")
    for tracked in ("https://www.herald.example/news/ferry/?utm_source=rss&utm_medium=feed",
                    "https://herald.example/news/ferry?fbclid=IwAR0abc", "https://herald.example/news/ferry?gclid=x&UTM_Campaign=y",
                    "https://herald.example/news/ferry?mc_cid=1&mc_eid=2#comments"):
        assert article_id_for(tracked, "", "") == plain
    assert article_id_for("https://herald.example/news/ferry?page=2", "", "") != plain  # a real parameter stays
