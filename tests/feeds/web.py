"""A real HTTP server on 127.0.0.1 whose answers each test sets: feeds, pages, errors, slow and huge bodies."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None  # answered with a 302 to here
    delay_s: float = 0.0  # wait this long before answering
    filler_bytes: int = 0  # stream this many bytes with no Content-Length (a huge page)
    drip_s: float = 0.0  # send the body a tenth at a time, this long apart (a slow body)


@dataclass(frozen=True)
class Seen:
    path: str
    status: int
    headers: dict[str, str]


class LoopbackWeb:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self.in_flight = self.most_in_flight = 0  # requests being answered at once, now and at most
        self._count_lock = threading.Lock()
        web = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                route = web.routes.get(self.path) or web.routes.get(urlsplit(self.path).path) or Route(b"nope", 404)
                headers = {k.lower(): v for k, v in self.headers.items()}
                status = route.status
                if route.location:
                    status = 302
                elif (route.etag and headers.get("if-none-match") == route.etag) or (
                    route.last_modified and headers.get("if-modified-since") == route.last_modified
                ):
                    status = 304
                web.requests.append(Seen(self.path, status, headers))
                with web._count_lock:
                    web.in_flight += 1
                    web.most_in_flight = max(web.most_in_flight, web.in_flight)
                try:
                    time.sleep(route.delay_s)
                    # The client may stop reading: that is what a size limit does.
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        self._answer(route, status)
                finally:
                    with web._count_lock:
                        web.in_flight -= 1

            def _answer(self, route: Route, status: int) -> None:
                self.send_response(status)
                if route.location:
                    self.send_header("Location", route.location)
                for name, value in (("ETag", route.etag), ("Last-Modified", route.last_modified)):
                    if value:
                        self.send_header(name, value)
                if status == 304:
                    self.end_headers()
                    return
                self.send_header("Content-Type", route.content_type)
                if route.filler_bytes:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    block = b"<p>" + b"x" * 65_536 + b"</p>"
                    for _ in range(route.filler_bytes // len(block)):
                        self.wfile.write(block)
                    return
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                if route.drip_s:
                    step = max(1, len(route.body) // 10)
                    for start in range(0, len(route.body), step):
                        self.wfile.write(route.body[start : start + step])
                        self.wfile.flush()
                        time.sleep(route.drip_s)
                    return
                self.wfile.write(route.body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url(path)

    def hits(self, path: str, status: int | None = None) -> int:
        return sum(1 for r in self.requests if urlsplit(r.path).path == path and (status is None or r.status == status))

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
