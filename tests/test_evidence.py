from __future__ import annotations

from service.evidence import focus
from service.tokens import count_tokens
from tests.test_citations import passage


def test_focus_keeps_the_relevant_window_as_an_exact_slice() -> None:
    text = " ".join(f"Filler sentence number {i} about nothing in particular." for i in range(20))
    text += " The ferry to Pine Island will cost 12 million dollars. " + text
    whole = passage(text)
    focused = focus(whole, "How much will the Pine Island ferry cost?", 40, count_tokens)
    assert "12 million" in focused.chunk.text
    assert count_tokens(focused.chunk.text) <= 40
    assert text[focused.chunk.start : focused.chunk.end] == focused.chunk.text


def test_short_passages_are_untouched() -> None:
    short = passage("One sentence.")
    assert focus(short, "anything", 100, count_tokens) is short
