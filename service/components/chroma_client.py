"""Opening Chroma: embedded in the data dir, or a server several API processes share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from service.components.store_errors import StoreUnavailable
from service.settings import Settings


def open_chroma(settings: Settings) -> Any:
    """A Chroma client, or StoreUnavailable saying why not (server down, data dir not writable)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    # Chroma's product telemetry would call out to the internet: never.
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.store.mode == "server":
            return chromadb.HttpClient(host=settings.store.host, port=settings.store.port, settings=chroma_settings)
        path = Path(settings.data_dir) / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as exc:
        if "readonly" in str(exc) or isinstance(exc, PermissionError):
            raise StoreUnavailable(f"cannot open the Chroma store: the data dir is not writable: {exc}") from exc
        raise StoreUnavailable(f"cannot open the Chroma store: {exc}") from exc
