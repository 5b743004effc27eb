"""The test marketplace served on 127.0.0.1 (random free port) from a thread: what `netpatrol demo`
and the crawl tests crawl.

Faults a crawler must survive: a broken link (404), a 500, a slow endpoint, a redirect
loop, an oversized page, a gzip bomb, wrong and missing charsets; and robots.txt
disallowing /private/.

Takedowns, for ``crawl --recheck``: the test toggles ``MarketConfig`` between two runs
(listings shown as removed in their own language, listings gone with 404 or 410,
listings whose price changed, or the whole site replaced by a seizure banner).
"""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from netpatrol.demo import market_pages as pages

ROBOTS = b"User-agent: *\nDisallow: /private/\n"
BIG_BYTES = 3 * 1024 * 1024
BOMB_BYTES = 64 * 1024 * 1024


@lru_cache(maxsize=1)
def gzip_bomb() -> bytes:
    """64 MiB of zeros in about 64 KiB: only a decompression limit stops it."""
    return gzip.compress(b"\0" * BOMB_BYTES, compresslevel=9)


@dataclass
class MarketConfig:
    slow_seconds: float = 0.3
    listing_delay: float = 0.0  # seconds before each listing page (resume tests)
    removed: set[int] = field(default_factory=set)  # listings showing a removal notice
    gone: dict[int, int] = field(default_factory=dict)  # listing -> status (404, 410)
    changed: set[int] = field(default_factory=set)  # listings whose price changed
    seized: bool = False  # every URL answers with a law-enforcement seizure banner
    bench_pages: int = 0  # /bench/0 starts a tree of this many pages (benchmarks/crawl_speed.py)
    hits: Counter[str] = field(default_factory=Counter)
    user_agents: set[str] = field(default_factory=set)


class MarketHandler(BaseHTTPRequestHandler):
    server: MarketServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read the hit counter instead."""

    def do_GET(self) -> None:
        config = self.server.config
        config.hits[self.path] += 1
        config.user_agents.add(self.headers.get("User-Agent", ""))
        split = urlsplit(self.path)
        path, query = split.path, parse_qs(split.query)
        if config.seized:
            return self._html(pages.SEIZED)
        if path == "/robots.txt":
            return self._send(200, ROBOTS, "text/plain")
        if path == "/":
            return self._html(pages.home())
        if path.startswith("/category/"):
            number = int(query.get("page", ["1"])[0])
            return self._html(pages.category_page(path.rsplit("/", 1)[1], number))
        if path.startswith("/js/"):
            return self._html(pages.js_category_page(path.rsplit("/", 1)[1]))
        if path.startswith("/listing/"):
            time.sleep(config.listing_delay)
            number = _number(path)
            if number in config.gone:
                gone = b"<html><body>Gone</body></html>"
                return self._send(config.gone[number], gone, "text/html")
            if number in config.removed:
                return self._html(pages.removed_page(number))
            return self._html(pages.listing_page(number, number in config.changed))
        if path.startswith("/blog/"):
            return self._html(pages.blog_page(_number(path)))
        if path.startswith("/bench/") and _number(path) < config.bench_pages:
            return self._html(pages.bench_page(_number(path), config.bench_pages))
        if path.startswith("/img/"):
            return self._send(200, pages.PNG, "image/png")
        if not self._fault(path):
            self._html(pages.static_page(path))

    def _fault(self, path: str) -> bool:
        if path == "/error500":
            self._send(500, b"<html><body>Internal error</body></html>", "text/html")
        elif path == "/slow":
            time.sleep(self.server.config.slow_seconds)
            self._html(pages.page("Slow deals", "<p>Finally here.</p>"))
        elif path in ("/loop/a", "/loop/b"):
            self._send(
                302, b"", "text/html", [("Location", "/loop/b" if path == "/loop/a" else "/loop/a")]
            )
        elif path == "/big":
            self._send(200, b"<html><body>" + b"x" * BIG_BYTES + b"</body></html>", "text/html")
        elif path == "/bomb":
            self._send(200, gzip_bomb(), "text/html", [("Content-Encoding", "gzip")])
        elif path == "/charset/wrong":
            # Declared UTF-8, sent as Latin-1: the bytes are kept as sent.
            body = pages.page("Großes Angebot: Elfenbein für 900 €", "<p>Schöne Stücke</p>")
            self._send(200, body.replace("€", "EUR").encode("latin-1"), "text/html; charset=utf-8")
        elif path == "/charset/missing":
            body = pages.page("Très belle annonce, prix réduit", "<p>Éléphant</p>", charset=None)
            self._send(200, body.encode("latin-1"), "text/html")
        else:
            return False
        return True

    def _html(self, text: str | None) -> None:
        if text is None:
            return self._send(404, b"<html><body>Not found</body></html>", "text/html")
        self._send(200, text.encode("utf-8"), "text/html; charset=utf-8")

    def _send(
        self, status: int, body: bytes, ctype: str, extra: list[tuple[str, str]] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra or []:
            self.send_header(name, value)
        self.end_headers()
        # The crawler hangs up on an oversized body: expected.
        with suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


def _number(path: str) -> int:
    tail = path.rsplit("/", 1)[1].removesuffix(".png")
    return int(tail) if tail.isdigit() else -1


class MarketServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, config: MarketConfig) -> None:
        super().__init__(("127.0.0.1", 0), MarketHandler)
        self.config = config

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def serve_market(config: MarketConfig | None = None) -> Iterator[MarketServer]:
    """Serve the marketplace on a free port for the duration of the block."""
    gzip_bomb()  # built once, before any request times it
    server = MarketServer(config or MarketConfig())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    """``python -m netpatrol.demo.market``: serve until Ctrl-C (to try the crawler by hand)."""
    with serve_market() as server:
        print(server.url, flush=True)
        with suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
