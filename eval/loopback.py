"""A free port on loopback, for the benchmarks that start real servers (the API, Chroma, a stub LLM)."""

from __future__ import annotations

import socket


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
