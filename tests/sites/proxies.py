"""A SOCKS5 proxy and an HTTP forward proxy on 127.0.0.1, recording what went through them.

The SOCKS5 proxy plays Tor: it accepts CONNECT to a host *name* (remote DNS, as
socks5h) and resolves ``.onion`` names to 127.0.0.1, so a crawl of
``http://<name>.onion:PORT/`` reaches the test marketplace only if it really went
through the proxy. Each CONNECT is recorded as (host, port).
"""

from __future__ import annotations

import contextlib
import select
import socket
import socketserver
import struct
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.error import HTTPError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen


def _relay(a: socket.socket, b: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while True:
            ready, _, _ = select.select([a, b], [], [], 10)
            if not ready:
                return
            for sock in ready:
                data = sock.recv(65536)
                if not data:
                    return
                (b if sock is a else a).sendall(data)


def _read(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("short read")
        data += chunk
    return data


class _SocksHandler(socketserver.BaseRequestHandler):
    server: SocksServer

    def handle(self) -> None:
        client: socket.socket = self.request
        _, count = _read(client, 2)
        _read(client, count)
        client.sendall(b"\x05\x00")  # no authentication
        _, _command, _, kind = _read(client, 4)  # CONNECT assumed: the crawler asks nothing else
        if kind == 3:
            host = _read(client, _read(client, 1)[0]).decode("idna")
        elif kind == 1:
            host = socket.inet_ntoa(_read(client, 4))
        else:
            client.sendall(b"\x05\x08\x00\x01" + bytes(6))
            return
        (port,) = struct.unpack("!H", _read(client, 2))
        self.server.connects.append((host, port))
        address = "127.0.0.1" if host.endswith(".onion") else host
        try:
            upstream = socket.create_connection((address, port), timeout=5)
        except OSError:
            client.sendall(b"\x05\x04\x00\x01" + bytes(6))  # host unreachable
            return
        client.sendall(b"\x05\x00\x00\x01" + socket.inet_aton("127.0.0.1") + struct.pack("!H", 0))
        with upstream:
            _relay(client, upstream)


class SocksServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SocksHandler)
        self.connects: list[tuple[str, int]] = []

    @property
    def url(self) -> str:
        return f"socks5h://127.0.0.1:{self.server_address[1]}"


class _ProxyHandler(BaseHTTPRequestHandler):
    """A forward proxy for plain http (absolute URLs in the request line)."""

    server: HttpProxyServer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        if not urlsplit(self.path).scheme:
            self.send_error(400, "absolute URL expected")
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() != "proxy-connection"}
        try:
            with urlopen(Request(self.path, headers=headers), timeout=5) as answer:
                status, body, sent = int(answer.status), answer.read(), answer.headers
        except HTTPError as exc:  # 404, 500...: passed through as they are
            status, body, sent = exc.code, exc.read(), exc.headers
        self.send_response(status)
        for name, value in sent.items():
            if name.lower() not in {"transfer-encoding", "connection", "content-length"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)


class HttpProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.requests: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextlib.contextmanager
def serve(server: SocksServer | HttpProxyServer) -> Iterator[None]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
