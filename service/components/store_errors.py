"""What the store raises when Chroma or the keyword file cannot be reached or written."""

from __future__ import annotations

import sqlite3

from chromadb.errors import ChromaError

# What a full disk or read-only directory raises through Chroma's embedded store; a server
# that went away raises httpx errors instead, handled as "unreachable" by the API.
WRITE_ERRORS = (ChromaError, sqlite3.Error, OSError)


class StoreUnavailable(RuntimeError):
    """The vector store cannot be reached (server down) or written (disk full, read-only)."""


class StoreWriteFailed(StoreUnavailable):
    """A write was refused by the disk: whatever it was writing is not stored."""


def write_failure(exc: Exception, what: str) -> StoreWriteFailed:
    text = str(exc)
    hint = ""
    if "readonly" in text or "Permission denied" in text or "Read-only" in text:
        hint = " (the data dir is read-only)"
    elif "disk I/O" in text or "disk is full" in text or "No space" in text or "File too large" in text:
        hint = " (the disk is full or refuses writes)"
    return StoreWriteFailed(f"could not write {what} to the vector store{hint}: {text[:200]}")
