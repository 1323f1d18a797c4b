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
        try:
            return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        except Exception:
            _forget_failed_start(str(path))
            raise
    except Exception as exc:
        if "readonly" in str(exc) or isinstance(exc, PermissionError):
            raise StoreUnavailable(f"cannot open the Chroma store: the data dir is not writable: {exc}") from exc
        raise StoreUnavailable(f"cannot open the Chroma store: {exc}") from exc


def _forget_failed_start(path: str) -> None:
    """Chroma caches a process's client system by path before starting it, and keeps it when the start
    fails: every later open then failed with "'RustBindingsAPI' object has no attribute 'bindings'"
    instead of the cause (a full disk), on every other /healthz poll."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(path, None)


def open_collection(client: Any, name: str, sync_threshold: int | None = None) -> Any:
    """Get or create a collection, cosine space, with the vector index saved every `sync_threshold` vectors
    (None: a collection without vectors to search). embedding_function=None on every open: otherwise
    Chroma silently attaches its default embedder, which downloads a model at first use."""
    if sync_threshold is None:
        return client.get_or_create_collection(name, embedding_function=None)
    metadata = {"hnsw:space": "cosine", "hnsw:sync_threshold": sync_threshold}
    collection = client.get_or_create_collection(name, embedding_function=None, metadata=metadata)
    if (collection.configuration_json.get("hnsw") or {}).get("sync_threshold") != sync_threshold:
        # Created before the setting, or with another value: creation-time metadata no longer applies.
        collection.modify(configuration={"hnsw": {"sync_threshold": sync_threshold}})
    return collection
