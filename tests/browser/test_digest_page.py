"""Digest view in a real browser: a sample day's stories, outlet counts, and a story's articles."""

from __future__ import annotations

import pytest

from tests.browser.conftest import open_view, screenshots

pytestmark = pytest.mark.slow


def test_digest_for_a_sample_day_expands_to_its_articles(page) -> None:
    open_view(page, "digest")
    page.get_by_label("Day", exact=True).fill("2026-11-20")
    page.get_by_role("button", name="Show digest").click()
    story = page.locator("#digest .story").first
    story.wait_for(timeout=300_000)
    assert page.get_by_role("heading", name="Digest for Nov 20, 2026").is_visible()
    assert "Northgate approves 6.3-kilometre tram extension" in story.get_by_role("heading").inner_text()
    assert story.locator(".meta").first.inner_text() == "1 outlet · 1 article"

    articles = story.locator("details.articles")
    assert not articles.locator("li").first.is_visible()
    articles.locator("summary").focus()
    page.keyboard.press("Enter")  # <details> opens from the keyboard
    link = articles.get_by_role("link", name="Northgate approves 6.3-kilometre tram extension to Ravensfield")
    link.wait_for()
    assert link.get_attribute("href") == "https://www.northgate-courier.example/2026/11/20/tram-line-ravensfield"
    screenshots(page, "digest")


def test_a_day_without_articles_says_so(page) -> None:
    open_view(page, "digest")
    page.get_by_label("Day", exact=True).fill("2001-02-03")
    page.get_by_role("button", name="Show digest").click()
    notice = page.locator("#digest .notice")
    notice.wait_for()
    assert notice.inner_text() == "No articles were published on 2001-02-03."
