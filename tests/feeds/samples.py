"""Feeds in each format and article pages full of boilerplate, built from a few stories."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

MENU = ["Home", "World news menu", "Sport section", "Weather centre", "Subscribe today"]
COOKIE = "We use cookies to improve your experience. Accept all cookies or manage preferences."
RELATED = ["Ten best beaches this summer", "Celebrity gossip roundup", "Quiz of the week"]


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    date: str = "2026-03-02"
    author: str = "Ana Ruiz"

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def story(n: int, topic: str = "ferry") -> Story:
    """A distinct story: its numbers and place names differ with n, so each is its own article."""
    place = f"Harbor{n}ton"
    return Story(
        slug=f"{topic}-{n}",
        title=f"{place} council approves {topic} plan number {n}",
        paragraphs=(
            f"The {place} city council voted {n + 5} to 2 on Monday to approve the {topic} plan, "
            f"which officials said would change how residents of {place} travel to work.",
            f"Mayor Dana Whitfield said the {topic} plan would cost {n + 10} million dollars and "
            f"open in June, with {n + 2} new services on the north shore of {place}.",
            f"Opponents of the {topic} plan in {place} said the money should go to roads instead, "
            "and promised to appeal the decision in the regional court before the summer.",
        ),
    )


def page(s: Story, canonical: str | None = None) -> bytes:
    """An article page wrapped in a menu, a cookie banner, related links, a footer and a script."""
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in s.paragraphs)
    link = f'<link rel="canonical" href="{escape(canonical)}">' if canonical else ""
    return f"""<!doctype html><html><head><title>{escape(s.title)} | The Herald</title>{link}
<meta name="author" content="{escape(s.author)}">
<meta property="article:published_time" content="{s.date}T09:00:00Z"></head><body>
<nav><ul>{"".join(f'<li><a href="/{i}">{m}</a></li>' for i, m in enumerate(MENU))}</ul></nav>
<div class="cookie-banner" id="cookie-consent"><p>{COOKIE}</p><button>Accept</button></div>
<main><article><h1>{escape(s.title)}</h1>{paragraphs}</article></main>
<aside class="related"><h3>Related</h3><ul>{"".join(f'<li><a href="/r{i}">{r}</a></li>' for i, r in enumerate(RELATED))}</ul></aside>
<footer><p>Copyright The Herald 2026. All rights reserved. Contact us. Privacy policy.</p></footer>
<script>document.body.innerHTML = "INJECTED BY SCRIPT";</script></body></html>""".encode()


def _html(s: Story) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in s.paragraphs)


def rss20(items: list[tuple[Story, str]], full: bool = True) -> bytes:
    """RSS 2.0; each item (story, link) carries content:encoded when full, else a one-line teaser."""
    body = "".join(
        f"<item><title>{escape(s.title)}</title><link>{escape(link)}</link><guid>{escape(link)}</guid>"
        f"<pubDate>Mon, 02 Mar 2026 09:00:00 GMT</pubDate><description>{escape(s.paragraphs[0][:60])}</description>"
        + (f"<content:encoded><![CDATA[{_html(s)}]]></content:encoded>" if full else "")
        + "</item>"
        for s, link in items
    )
    return (f'<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>Herald</title><link>http://herald.example/</link><description>News</description>"
            f"{body}</channel></rss>").encode()


def rss091(items: list[tuple[Story, str]]) -> bytes:
    """RSS 0.91: the whole story in the description, the only text element it has."""
    body = "".join(
        f"<item><title>{escape(s.title)}</title><link>{escape(link)}</link>"
        f"<description>{escape(_html(s))}</description></item>"
        for s, link in items
    )
    return (f'<?xml version="1.0"?><rss version="0.91"><channel><title>Herald 0.91</title>'
            f"<link>http://herald.example/</link><description>News</description><language>en</language>"
            f"{body}</channel></rss>").encode()


def rss10(items: list[tuple[Story, str]]) -> bytes:
    """RSS 1.0 (RDF) with Dublin Core dates and content:encoded."""
    seq = "".join(f'<rdf:li rdf:resource="{escape(link)}"/>' for _, link in items)
    body = "".join(
        f'<item rdf:about="{escape(link)}"><title>{escape(s.title)}</title><link>{escape(link)}</link>'
        f"<dc:date>{s.date}T09:00:00Z</dc:date><dc:creator>{escape(s.author)}</dc:creator>"
        f"<content:encoded><![CDATA[{_html(s)}]]></content:encoded></item>"
        for s, link in items
    )
    return (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        '<channel rdf:about="http://herald.example/rss"><title>Herald RDF</title><link>http://herald.example/</link>'
        f"<description>News</description><items><rdf:Seq>{seq}</rdf:Seq></items></channel>{body}</rdf:RDF>"
    ).encode()


def atom(items: list[tuple[Story, str]], full: bool = True) -> bytes:
    body = "".join(
        f"<entry><title>{escape(s.title)}</title><link href=\"{escape(link)}\"/><id>{escape(link)}</id>"
        f"<updated>{s.date}T09:00:00Z</updated><author><name>{escape(s.author)}</name></author>"
        + (f'<content type="html">{escape(_html(s))}</content>' if full else f"<summary>{escape(s.title)}</summary>")
        + "</entry>"
        for s, link in items
    )
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Herald Atom</title><id>urn:herald</id><updated>2026-03-02T09:00:00Z</updated>{body}</feed>").encode()
