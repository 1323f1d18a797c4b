"""An article whose title and body carry <script> and <img onerror> stays inert text on every view."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ATTACK_ARTICLE, SHOWN_TITLE, open_view, screenshots

pytestmark = pytest.mark.slow
ATTACK_DAY = ATTACK_ARTICLE["published_at"]


def assert_inert(page) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img").count() == 0, "article markup became an element"
    assert page.locator("script:not([src])").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.watch.dialogs == [] and page.watch.errors == []


def test_attack_article_is_shown_as_text_in_the_digest(page) -> None:
    open_view(page, "digest")
    page.get_by_label("Day", exact=True).fill(ATTACK_DAY)
    page.get_by_role("button", name="Show digest").click()
    page.locator("#digest .story").first.wait_for(timeout=300_000)
    headings = page.locator("#digest .story h3").all_inner_texts()
    assert any(SHOWN_TITLE in heading for heading in headings), headings
    assert not any("<" in heading or "pwned" in heading for heading in headings), headings
    story = page.locator("#digest .story", has_text="Harbour lantern festival")
    story.locator("details.articles summary").click()
    item = story.locator("details.articles li").first
    assert SHOWN_TITLE in item.inner_text() and "pwned" not in item.inner_text()
    assert all(href.startswith("https://") for href in item.locator("a").evaluate_all("els => els.map(e => e.href)"))
    assert_inert(page)
    screenshots(page, "attack-digest")


def test_attack_article_is_shown_as_text_when_cited(page) -> None:
    open_view(page, "ask")
    page.get_by_label("Question", exact=True).fill("How many visitors came to the Harbour lantern festival?")
    page.get_by_label("From", exact=True).fill(ATTACK_DAY)
    page.get_by_label("To", exact=True).fill(ATTACK_DAY)
    page.get_by_role("button", name="Ask", exact=True).click()
    page.locator("#answer .sentences, #answer .refused").first.wait_for(timeout=300_000)
    # Its day holds no other article: whatever the small model wrote, the attack article is among
    # the sources or the closest passages.
    cite = page.locator("#answer .sources li", has_text="Harbour lantern festival").locator("button.cite").first
    sources = page.locator("#answer .sources").first.inner_text()
    assert SHOWN_TITLE in sources and "pwned" not in sources
    cite.click()
    page.locator("#quote-passage:not([aria-busy])").wait_for()
    assert page.locator("#quote-title").inner_text() == SHOWN_TITLE
    passage = page.locator("#quote-passage").inner_text()
    assert '<img src=x onerror="window.__pwned=3">' in passage and "<script>window.__pwned=4</script>" in passage
    original = page.get_by_role("link", name="Read the original")
    assert all(href.startswith("https://") for href in original.evaluate_all("els => els.map(e => e.href)"))
    assert_inert(page)
    screenshots(page, "attack-quote", full_page=False)
    page.keyboard.press("Escape")
