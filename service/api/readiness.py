"""Requests that need the model or the index wait for start-up's loading, up to a limit."""

from __future__ import annotations

import asyncio
import time

from fastapi import HTTPException, Request

from service.startup import Readiness

# How often a waiting request looks again: the event loop is never blocked while it waits.
POLL_S = 0.05


async def wait_until_ready(request: Request) -> None:
    """Passes at once when ready; else waits up to `startup.wait_s`, then 503 with Retry-After."""
    readiness: Readiness = request.app.state.readiness
    if readiness.is_ready:
        return
    startup = request.app.state.services.settings.startup
    deadline = time.monotonic() + startup.wait_s
    while not readiness.is_ready and time.monotonic() < deadline:
        await asyncio.sleep(POLL_S)
    if not readiness.is_ready:
        raise HTTPException(
            status_code=503,
            detail="the service is starting: the model and the index are still loading; retry shortly",
            headers={"Retry-After": str(startup.retry_after_s)},
        )
