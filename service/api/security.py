"""API keys with two roles, per-key rate limits, and a request body limit.

Keys are stored as SHA-256 digests and compared in constant time. With no keys configured the
service is for the local machine only, however it is started: `serve_host` moves the bind address
to loopback (`newsdesk serve` calls it, as any launcher should), and the app itself refuses callers
from other machines, which covers launchers that do not (`uvicorn --factory --host 0.0.0.0 ...`).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import threading
import time
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from service.settings import APIKey, Settings

_ROLE_RANK = {"read": 0, "write": 1}
# Requests without a valid key, per client address: a person mistyping a key tries a few times, a
# guesser needs millions (200 wrong keys went through in 0.3 s before this limit).
FAILED_KEY_ATTEMPTS_PER_MINUTE = 20
log = logging.getLogger("newsdesk.serve")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def find_key(presented: str, keys: list[APIKey]) -> APIKey | None:
    digest = hash_key(presented)
    found = None
    for key in keys:  # no early exit: the time taken does not depend on which key matched
        if hmac.compare_digest(digest, key.sha256.lower()):
            found = key
    return found


class RateLimiter:
    """A token bucket per caller; refills continuously at the caller's per-minute rate."""

    def __init__(self) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, caller: str, per_minute: int) -> float:
        """0 when allowed, else the seconds to wait."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(caller, (float(per_minute), now))
            tokens = min(float(per_minute), tokens + (now - last) * per_minute / 60.0)
            if tokens >= 1.0:
                self._buckets[caller] = (tokens - 1.0, now)
                return 0.0
            self._buckets[caller] = (tokens, now)
            return (1.0 - tokens) * 60.0 / per_minute


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1 from a dual-stack socket
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def serve_host(settings: Settings, requested: str | None = None) -> str:
    """The address to bind to: the one asked for, or loopback when there are no keys to check."""
    host = requested or settings.api.host
    if not settings.api.keys and not is_loopback(host):
        log.warning("no API keys configured: binding to 127.0.0.1 instead of %s", host)
        return "127.0.0.1"
    return host


def from_other_machine(request: Request) -> bool:
    """True for a network caller that is not this machine.

    A network peer always has an IP address; a missing or non-IP client (a Unix socket, an
    in-process test transport) is local.
    """
    host = request.client.host if request.client else ""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return not is_loopback(host)


def _presented_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.headers.get("x-api-key")


def _authorize(request: Request, role: str) -> str:
    settings: Settings = request.app.state.services.settings
    limiter: RateLimiter = request.app.state.rate_limiter
    keys = settings.api.keys
    if not keys:
        caller, rate = f"ip:{request.client.host if request.client else '-'}", settings.api.anonymous_requests_per_minute
    else:
        presented = _presented_key(request)
        key = find_key(presented, keys) if presented else None
        if key is None:
            address = request.client.host if request.client else "-"
            wait = limiter.allow(f"failed-key:{address}", FAILED_KEY_ATTEMPTS_PER_MINUTE)
            if wait:
                raise HTTPException(429, "too many requests without a valid API key from this address",
                                    headers={"Retry-After": str(max(1, round(wait)))})
            raise HTTPException(401, "a valid API key is required (Authorization: Bearer <key>)",
                                headers={"WWW-Authenticate": "Bearer"})
        if _ROLE_RANK[key.role] < _ROLE_RANK[role]:
            raise HTTPException(403, f"this key has the {key.role!r} role; {role!r} is required")
        caller, rate = f"key:{key.name}", key.requests_per_minute
    wait = limiter.allow(caller, rate)
    if wait:
        raise HTTPException(429, f"rate limit of {rate} requests per minute exceeded",
                            headers={"Retry-After": str(max(1, round(wait)))})
    request.state.caller = caller
    return caller


def require_read(request: Request) -> str:
    return _authorize(request, "read")


def require_write(request: Request) -> str:
    return _authorize(request, "write")


ReadAccess = Annotated[str, Depends(require_read)]
WriteAccess = Annotated[str, Depends(require_write)]
