"""The fetcher against a real loopback server: conditional GET, limits, redirects, address refusal."""

from __future__ import annotations

import ipaddress
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from service.feeds.addresses import AddressRefused, GuardedBackend, refusal_reason
from service.feeds.fetching import Fetcher, FetchFailed, check_url
from service.settings import FeedSettings
from tests.feeds.web import LoopbackWeb, Route


@pytest.fixture
def fetcher() -> Fetcher:
    # A second per read: 0.5 s timed out a loopback redirect while a model run held both cores.
    fetcher = Fetcher(FeedSettings(allow_private_addresses=True, timeout_s=1.0, deadline_s=4.0))
    yield fetcher
    fetcher.close()


def test_sends_user_agent_and_answers_304_to_validators(web: LoopbackWeb, fetcher: Fetcher) -> None:
    url = web.serve("/feed.xml", Route(b"<rss/>", etag='"v1"', last_modified="Mon, 02 Mar 2026 09:00:00 GMT"))
    first = fetcher.get(url)
    assert first.status == 200 and first.body == b"<rss/>"
    assert first.etag == '"v1"' and first.last_modified
    assert web.requests[0].headers["user-agent"].startswith("Newsdesk/")

    again = fetcher.get(url, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.body == b""
    assert web.requests[1].headers["if-none-match"] == '"v1"'
    assert web.requests[1].headers["if-modified-since"] == first.last_modified


def test_timeout_and_server_error_are_reported(web: LoopbackWeb, fetcher: Fetcher) -> None:
    slow = web.serve("/slow.xml", Route(b"<rss/>", delay_s=3.0))
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="timed out"):
        fetcher.get(slow)
    assert time.monotonic() - started < 2.5
    with pytest.raises(FetchFailed, match="HTTP 500"):
        fetcher.get(web.serve("/broken.xml", Route(b"oops", status=500)))


def test_slow_body_stopped_at_the_total_deadline(web: LoopbackWeb) -> None:
    # Each piece comes well within the read timeout; only the deadline over the whole download stops it.
    fetcher = Fetcher(FeedSettings(allow_private_addresses=True, timeout_s=1.0, deadline_s=1.5))
    url = web.serve("/drip.xml", Route(b"<rss>" + b" " * 1000 + b"</rss>", drip_s=0.4))
    started = time.monotonic()
    with pytest.raises(FetchFailed, match=r"took longer than 1\.5 s"):
        fetcher.get(url)
    assert time.monotonic() - started < 2.5
    fetcher.close()


def test_redirects_followed_within_limit_and_loops_refused(web: LoopbackWeb, fetcher: Fetcher) -> None:
    web.serve("/final", Route(b"here"))
    web.serve("/hop2", Route(location="/final"))
    fetched = fetcher.get(web.serve("/hop1", Route(location=web.url("/hop2"))))
    assert fetched.body == b"here" and fetched.url == web.url("/final")

    web.serve("/loop-a", Route(location="/loop-b"))
    web.serve("/loop-b", Route(location="/loop-a"))
    with pytest.raises(FetchFailed, match="redirect loop"):
        fetcher.get(web.url("/loop-a"))

    for n in range(10):
        web.serve(f"/chain{n}", Route(location=f"/chain{n + 1}"))
    with pytest.raises(FetchFailed, match="more than 5 redirects"):
        fetcher.get(web.url("/chain0"))


def test_every_redirect_hop_is_checked(web: LoopbackWeb, fetcher: Fetcher) -> None:
    with pytest.raises(FetchFailed, match="only http and https"):
        fetcher.get(web.serve("/to-file", Route(location="file:///etc/passwd")))
    port = web.base.rsplit(":", 1)[1]
    # 0.0.0.0 reaches this machine on many systems: refused even where private addresses are allowed.
    with pytest.raises(FetchFailed, match="unspecified"):
        fetcher.get(web.serve("/to-zero", Route(location=f"http://0.0.0.0:{port}/final")))


def test_huge_page_stopped_at_the_size_limit(web: LoopbackWeb) -> None:
    fetcher = Fetcher(FeedSettings(allow_private_addresses=True, max_download_bytes=5_000_000, deadline_s=20))
    url = web.serve("/huge.html", Route(filler_bytes=50_000_000))
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="over the 5000000 byte limit"):
        fetcher.get(url)
    assert time.monotonic() - started < 10
    declared = web.serve("/declared.html", Route(b"x" * 6_000_000))
    with pytest.raises(FetchFailed, match="6000000 bytes, over"):
        fetcher.get(declared)
    fetcher.close()


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/feed", "http://localhost/feed", "http://10.1.2.3/", "http://192.168.0.1/",
     "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://100.64.0.1/",
     "http://[64:ff9b::a00:1]/", "http://[2002:c0a8:1::1]/", "http://[fd00::1]/", "http://[fe80::1]/"],
)
def test_private_addresses_refused_unless_allowed(url: str) -> None:
    with pytest.raises(FetchFailed, match=r"refused to fetch from .*ALLOW_PRIVATE_ADDRESSES"):
        check_url(url, allow_private=False)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/feed", "gopher://x/", "http:///nohost",
                                 "http://[", "http://a\x00b/", "http://a b/", "http://host:99999/", "http://" + "a" * 300 + "/"])
def test_only_http_urls_with_a_host(url: str) -> None:
    with pytest.raises(FetchFailed):
        check_url(url, allow_private=True)


def test_refused_fetch_never_connects(web: LoopbackWeb) -> None:
    fetcher = Fetcher(FeedSettings(allow_private_addresses=False))
    url = web.serve("/feed.xml", Route(b"<rss/>"))
    with pytest.raises(FetchFailed, match="loopback"):
        fetcher.get(url)
    assert web.requests == []
    fetcher.close()


def test_connection_itself_is_checked() -> None:
    # The check at connect time is what stops DNS rebinding: a name that passed check_url a moment
    # ago and now resolves to loopback is still refused before any byte is sent.
    with pytest.raises(AddressRefused, match="loopback"):
        GuardedBackend(allow_private=False).connect_tcp("localhost", 80)


def test_public_addresses_pass() -> None:
    for text in ("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:93.184.216.34"):
        assert refusal_reason(ipaddress.ip_address(text), allow_private=False) is None


def test_one_request_at_a_time_per_host(web: LoopbackWeb, fetcher: Fetcher) -> None:
    for n in range(4):
        web.serve(f"/slow{n}", Route(b"ok", delay_s=0.2))
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(fetcher.get, [web.url(f"/slow{n}") for n in range(4)]))
    assert web.most_in_flight == 1
    # "localhost" is another host name for the same server: the two may overlap.
    other = web.url("/slow0").replace("127.0.0.1", "localhost")
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(fetcher.get, [web.url("/slow1"), other]))
    assert web.most_in_flight == 2
