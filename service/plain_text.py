"""The one rule for text the service returns: plain text, no markup, no links but checked URLs.

A model wrote `<script>alert(document.cookie)</script>`, a bare `www.evil.example/pay` and
`javascript:alert(1)` into sentences the verifier kept, and an article titled
`x [click here](javascript:alert(1)) <img src=x onerror=alert(1)>` put a live link and raw HTML
into the chat's Sources list, which chat front ends render as Markdown. So every sentence of an
answer and every title goes through `plain_text`, and the only URL the service ever returns is an
article's own, checked by `is_web_url` at ingest and again on the way out.

Quotes are the exception: a citation's quote is an exact substring of the stored article (that is
what makes it checkable), so it is returned as it is and a client must show it as text.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Script and style elements go with their contents: what they hold is code, not prose.
_CODE_ELEMENT = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z!?][^<>]*>")
# A tag never closed ("<img src=x onerror=..." at the end of a title) runs to the end of the text.
_UNCLOSED_TAG = re.compile(r"<[A-Za-z!?/][^<>]*$")
# A "<" that would still open a tag once the rest is gone ("<?<").
_TAG_START = re.compile(r"<(?=[A-Za-z!?/])")
# A link target may hold one level of parentheses: (javascript:alert(1)).
_TARGET = r"\((?:[^()]|\([^()]*\))*\)"
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]" + _TARGET)
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]" + _TARGET)
# Links a reader could follow: schemes, and bare host names that front ends turn into links.
_LINK = re.compile(
    r"\b(?:https?|ftp|javascript|vbscript|data|file):\S+|\bwww\.\S+|\b(?:[a-z0-9-]+\.)+[a-z]{2,}/\S*",
    re.IGNORECASE,
)
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?])")
_SPACES = re.compile(r"[ \t]{2,}")

WEB_SCHEMES = ("http", "https")


def is_web_url(url: str | None) -> bool:
    """An absolute http(s) URL with a host: the only kind of link the service stores or returns."""
    if not url or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def plain_text(text: str) -> str:
    """Text with markup and links removed: HTML elements and tags, Markdown links (their label
    stays) and images, URLs of any scheme and bare host names with a path."""
    # One removal can make another pattern ("<\r!" loses its space and becomes "<!"), so passes
    # repeat until nothing changes; each pass that changes the text shortens it, so this ends.
    while True:
        cleaner = _one_pass(text)
        if cleaner == text:
            return text
        text = cleaner


def _one_pass(text: str) -> str:
    text = _CODE_ELEMENT.sub(" ", text)
    # Markdown first: a link's label could itself start a tag ("[<img](x)").
    text = _MARKDOWN_IMAGE.sub(" ", text)
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    text = _UNCLOSED_TAG.sub(" ", text)
    text = _TAG_START.sub("", text)
    text = _LINK.sub(" ", text)
    text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
    return _SPACES.sub(" ", text).strip()


def plain_title(title: str) -> str:
    """A title as one plain line."""
    return " ".join(plain_text(title).split())
