"""One scripted, misbehaving OpenAI-compatible model server on loopback, for the LLM fault tests.

Each fault is something a real endpoint (a proxy, an overloaded vLLM, a captive portal) has been
seen to do; the same server answers `stream: true` requests as server-sent events, so every fault
reaches both the streaming and the non-streaming paths of every route that calls the model.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# The faults, with what the server does on each chat completion request.
FAULTS = {
    "ok": "a normal answer (`reply`), as JSON or as SSE chunks",
    "html": "200 with a text/html page, as a captive portal or a misrouted proxy sends",
    "garbage": "200 claiming JSON (or SSE) whose body is not: an HTML page",
    "broken_sse": "a stream whose data line is not JSON (`data: {not json`); non-streaming: a cut JSON body",
    "drip": "headers at once, then one byte every `drip_s` seconds: each read is within a per-read timeout",
    "empty": "a well-formed answer with empty content",
    "error": "HTTP 500 with an error body",
    "slow": "a normal answer after 3 seconds",
}
# "down" is not a mode of this server: use down_url(), a loopback port nothing listens on.
HTML_PAGE = b"<!doctype html><html><body><h1>Sign in to continue</h1></body></html>"


def _completion(text: str) -> bytes:
    return json.dumps({
        "id": "x", "object": "chat.completion", "created": 0, "model": "stub",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }).encode()


def _sse(text: str) -> bytes:
    chunks = [{"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "stub",
               "choices": [{"index": 0, "delta": {"content": word}, "finish_reason": None}]}
              for word in re.findall(r"\s*\S+", text)]
    return ("".join(f"data: {json.dumps(chunk)}\n\n" for chunk in chunks) + "data: [DONE]\n\n").encode()


def _handler(mode: str, reply: str, drip_s: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self._send(200, json.dumps({"object": "list", "data": [{"id": "stub", "object": "model"}]}).encode())

        def do_POST(self) -> None:
            request = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
            stream = bool(request.get("stream"))
            kind = "text/event-stream" if stream else "application/json"
            if mode == "slow":
                time.sleep(3)
            if mode == "error":
                self._send(500, b'{"error": {"message": "boom"}}')
            elif mode == "html":
                self._send(200, HTML_PAGE, "text/html; charset=utf-8")
            elif mode == "garbage":
                self._send(200, HTML_PAGE, kind)
            elif mode == "broken_sse":
                self._send(200, b"data: {not json\n\n" if stream else _completion(reply)[:25], kind)
            elif mode == "drip":
                self._drip(_sse(reply) if stream else _completion(reply), kind)
            else:
                text = "" if mode == "empty" else reply
                self._send(200, _sse(text) if stream else _completion(text), kind)

        def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _drip(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.flush()
            try:
                for byte in body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(drip_s)
            except OSError:
                pass  # the client gave up, as it should

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gives up mid-drip resets the connection: that is the test working


@contextmanager
def fault_server(mode: str, reply: str = "ok", drip_s: float = 4.0) -> Iterator[str]:
    """The base URL (…/v1) of a server that behaves as FAULTS[mode] says."""
    if mode not in FAULTS:
        raise ValueError(f"unknown fault {mode!r}; one of {', '.join(FAULTS)}")
    server = _QuietServer(("127.0.0.1", 0), _handler(mode, reply, drip_s))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def down_url() -> str:
    """A loopback URL where nothing listens: the model endpoint is down."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
