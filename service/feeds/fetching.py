"""Polite, bounded HTTP GETs of feeds and pages on a caller's behalf.

Every download: only http(s); each redirect hop checked again (scheme, address) up to a limit; a
size limit enforced while the body streams in (a Content-Length is not trusted); one total
deadline across hops and slow bodies, not just per-read timeouts; a clear User-Agent; conditional
GET with the ETag and Last-Modified the caller kept; at most one request at a time per host.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from service.feeds.addresses import AddressRefused, GuardedBackend, checked_addresses
from service.settings import FeedSettings

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
_REDIRECTS = {301, 302, 303, 307, 308}


class FetchFailed(Exception):
    """A download that gave nothing usable, with the reason in words (shown in `feeds list`)."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects: what relative links and ids are read against
    status: int  # 200, or 304 when the caller's validators still hold
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None  # where a redirect points; followed by Fetcher.get, never returned

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def check_url(url: str, allow_private: bool) -> str:
    """The URL, stripped, once it is http(s) with a host that resolves to allowed addresses.

    Called when a feed is added or a page requested, so a refusal is reported there and then;
    the connection itself is checked again on every fetch (see addresses.py).
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # "http://[" and the like
        raise FetchFailed(f"bad URL {url[:80]!r}: {exc}") from None
    if parts.scheme.lower() not in {"http", "https"}:
        raise FetchFailed(f"only http and https URLs can be fetched, not {url[:80]!r}")
    if not parts.hostname:
        raise FetchFailed(f"the URL {url[:80]!r} has no host")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        checked_addresses(parts.hostname, port, allow_private)
    except AddressRefused as exc:
        raise FetchFailed(str(exc)) from None
    except ValueError as exc:  # a port out of range
        raise FetchFailed(f"bad URL {url[:80]!r}: {exc}") from None
    return url


class Fetcher:
    def __init__(self, settings: FeedSettings) -> None:
        self._settings = settings
        transport = httpx.HTTPTransport()
        if not isinstance(getattr(transport, "_pool", None), httpcore.ConnectionPool):
            raise RuntimeError("this httpx version keeps its connection pool elsewhere; update fetching.py")
        # httpx has no public way to choose how sockets connect; its pool takes a network backend.
        transport._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=max(4, settings.workers * 2),
            network_backend=GuardedBackend(settings.allow_private_addresses),
        )
        # trust_env=False: a proxy from the environment would connect on our behalf, unchecked.
        self._client = httpx.Client(
            transport=transport, trust_env=False, follow_redirects=False,
            headers={"User-Agent": settings.user_agent},
        )
        self._host_locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def _host_lock(self, url: str) -> threading.Lock:
        host = (urlsplit(url).hostname or "").lower()
        with self._locks_lock:
            return self._host_locks.setdefault(host, threading.Lock())

    def get(
        self,
        url: str,
        accept: str = PAGE_ACCEPT,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        """GET url following redirects; FetchFailed says why when nothing usable came back."""
        settings = self._settings
        deadline = time.monotonic() + settings.deadline_s
        visited: list[str] = []
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        while True:
            check_url(url, settings.allow_private_addresses)
            visited.append(url)
            with self._host_lock(url):
                response = self._one_request(url, headers, deadline)
            if response.status in _REDIRECTS:
                try:
                    target = urljoin(url, response.location or "")
                except ValueError:
                    raise FetchFailed(f"bad redirect from {url}") from None
                if target in visited:
                    raise FetchFailed(f"redirect loop: {url} -> {target}")
                if len(visited) > settings.max_redirects:
                    raise FetchFailed(f"more than {settings.max_redirects} redirects from {visited[0]}")
                url = target
                continue
            return response

    def _one_request(self, url: str, headers: dict[str, str], deadline: float) -> Fetched:
        settings = self._settings
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchFailed(f"gave up after {settings.deadline_s:g} s")
        timeout = httpx.Timeout(min(settings.timeout_s, remaining))
        try:
            with self._client.stream("GET", url, headers=headers, timeout=timeout) as response:
                if response.status_code in _REDIRECTS:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchFailed(f"HTTP {response.status_code} without a Location from {url}")
                    return Fetched(url, response.status_code, location=location)
                if response.status_code == 304:
                    return Fetched(url, 304, etag=response.headers.get("etag"),
                                   last_modified=response.headers.get("last-modified"))
                if response.status_code != 200:
                    raise FetchFailed(f"HTTP {response.status_code} from {url}")
                body = self._read_limited(response, deadline)
                return Fetched(
                    str(response.url), 200, body,
                    content_type=response.headers.get("content-type", ""),
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                )
        except AddressRefused as exc:
            raise FetchFailed(str(exc)) from None
        except httpx.TimeoutException:
            raise FetchFailed(f"timed out fetching {url}") from None
        except httpx.HTTPError as exc:
            raise FetchFailed(f"cannot fetch {url}: {type(exc).__name__}: {exc}") from None

    def _read_limited(self, response: httpx.Response, deadline: float) -> bytes:
        limit = self._settings.max_download_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchFailed(f"{response.url} is {int(declared)} bytes, over the {limit} byte limit")
        received = bytearray()
        # Counted after decompression, so a small gzip bomb is stopped at the same limit; pieces as they
        # arrive (no re-chunking), so a body dribbled out slowly meets the deadline check at each read.
        for piece in response.iter_bytes():
            received += piece
            if len(received) > limit:
                raise FetchFailed(f"{response.url} is over the {limit} byte limit (stopped reading)")
            if time.monotonic() > deadline:
                raise FetchFailed(f"{response.url} took longer than {self._settings.deadline_s:g} s")
        return bytes(received)
