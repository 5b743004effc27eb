"""SOCKS5 for Scrapy: ``.onion`` sites (and, with ``--tor-all``, everything) through Tor.

Scrapy's HTTP/1.1 downloader speaks HTTP proxies only (scrapy/scrapy#747), and the
SOCKS plugins for Twisted (txsocksx, twunnel) are unmaintained. A SOCKS5 CONNECT is a
few bytes each way (RFC 1928), so this module does it itself: a Twisted client endpoint
that connects to the proxy, asks it to connect to a host *name* (the proxy resolves it:
``.onion`` names cannot be resolved locally, and a local lookup of a clearnet name would
leak the patrol's interest to the local resolver), then hands the connection to the
HTTP protocol, wrapped in TLS for https. The download handler reuses Scrapy's own
HTTP/1.1 agent for everything after the connection (size limits, timeouts, data loss),
so a page fetched over Tor is read exactly like any other; requests without
``meta[SOCKS_META]`` go to Scrapy's handler unchanged.
"""

from __future__ import annotations

import struct
from typing import Any, cast
from urllib.parse import unquote, urlsplit

from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _ScrapyAgent,
)
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.utils._download_handlers import wrap_twisted_exceptions
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import error as twisted_errors
from twisted.internet.defer import Deferred
from twisted.internet.endpoints import HostnameEndpoint, wrapClientTLS
from twisted.internet.interfaces import IStreamClientEndpoint
from twisted.internet.protocol import Factory, Protocol, connectionDone
from twisted.python.failure import Failure
from twisted.web.client import URI, Agent, HTTPConnectionPool
from twisted.web.iweb import IAgentEndpointFactory
from zope.interface import implementer  # type: ignore[import-untyped]

SOCKS_META = "netpatrol_socks"
SCHEMES = {"socks5h", "socks5"}  # both send the host name: the proxy always resolves it
_REPLIES = {
    1: "general SOCKS server failure", 2: "connection not allowed by ruleset",
    3: "network unreachable", 4: "host unreachable", 5: "connection refused",
    6: "TTL expired", 7: "command not supported", 8: "address type not supported",
}  # fmt: skip


class SocksError(twisted_errors.ConnectError):
    """The SOCKS proxy refused or failed the connection (a ConnectError: retried)."""

    def __init__(self, message: str) -> None:
        super().__init__(string=message)  # type: ignore[no-untyped-call]


def parse_proxy(url: str) -> tuple[str, int, str | None, str | None]:
    """``socks5h://[user:pass@]host:port`` -> host, port, user, password."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise ValueError(f"{url!r}: expected socks5h://HOST:PORT")
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    return parts.hostname, parts.port or 1080, user, password


class _Handshake(Protocol):
    """Greets the proxy, asks for a CONNECT, then relays bytes to the wrapped protocol."""

    def __init__(self, endpoint: Socks5Endpoint, factory: Factory,
                 done: Deferred[Protocol]) -> None:  # fmt: skip
        self.endpoint, self.factory, self.done = endpoint, factory, done
        self.buffer = b""
        self.state = "greeting"
        self.inner: Protocol | None = None

    @property
    def _tx(self) -> Any:
        """The proxy connection (Twisted's interfaces are not typed for mypy)."""
        return self.transport

    def connectionMade(self) -> None:
        # Methods offered: no authentication, and username/password when one is given.
        methods = b"\x00\x02" if self.endpoint.user is not None else b"\x00"
        self._tx.write(b"\x05" + bytes([len(methods)]) + methods)

    def dataReceived(self, data: bytes) -> None:
        if self.inner is not None:
            self.inner.dataReceived(data)
            return
        self.buffer += data
        try:
            self._advance()
        except SocksError as exc:
            self._tx.abortConnection()
            if not self.done.called:
                self.done.errback(exc)

    def _advance(self) -> None:
        if self.state == "greeting" and len(self.buffer) >= 2:
            method, self.buffer = self.buffer[1], self.buffer[2:]
            if method == 0x02 and self.endpoint.user is not None:
                user = self.endpoint.user.encode()
                password = (self.endpoint.password or "").encode()
                self._tx.write(
                    b"\x01" + bytes([len(user)]) + user + bytes([len(password)]) + password
                )
                self.state = "auth"
            elif method == 0x00:
                self._connect()
            else:
                raise SocksError("the SOCKS proxy accepts none of our methods")
        if self.state == "auth" and len(self.buffer) >= 2:
            status, self.buffer = self.buffer[1], self.buffer[2:]
            if status != 0:
                raise SocksError("the SOCKS proxy refused the user name and password")
            self._connect()
        if self.state == "connect" and len(self.buffer) >= 5:
            reply, kind = self.buffer[1], self.buffer[3]
            size = {1: 4, 3: 1 + self.buffer[4], 4: 16}.get(kind, 0)
            if reply != 0:
                reason = _REPLIES.get(reply, f"error {reply}")
                raise SocksError(f"SOCKS proxy: {self.endpoint.host}: {reason}")
            if len(self.buffer) >= 4 + size + 2:
                rest = self.buffer[4 + size + 2 :]
                self._hand_over(rest)

    def _connect(self) -> None:
        host = self.endpoint.host.encode("idna")
        request = b"\x05\x01\x00\x03" + bytes([len(host)]) + host
        self._tx.write(request + struct.pack("!H", self.endpoint.port))
        self.state = "connect"

    def _hand_over(self, rest: bytes) -> None:
        self.buffer = b""
        inner = self.factory.buildProtocol(self._tx.getPeer())
        if inner is None:
            self._tx.loseConnection()
            self.done.errback(SocksError("no protocol for the connection"))
            return
        self.inner = inner
        inner.makeConnection(self.transport)
        self.done.callback(inner)
        if rest:
            inner.dataReceived(rest)

    def connectionLost(self, reason: Failure = connectionDone) -> None:
        if self.inner is not None:
            self.inner.connectionLost(reason)
        elif not self.done.called:
            self.done.errback(SocksError("the SOCKS proxy closed the connection"))


class _HandshakeFactory(Factory):
    noisy = False

    def __init__(self, endpoint: Socks5Endpoint, factory: Factory,
                 done: Deferred[Protocol]) -> None:  # fmt: skip
        self.endpoint, self.factory, self.done = endpoint, factory, done

    def buildProtocol(self, addr: Any) -> Protocol:
        return _Handshake(self.endpoint, self.factory, self.done)


@implementer(IStreamClientEndpoint)
class Socks5Endpoint:
    """A connection to ``host:port`` made by the SOCKS5 proxy at ``proxy``."""

    def __init__(self, reactor: Any, proxy: str, host: str, port: int, timeout: float) -> None:
        self.reactor = reactor
        self.proxy_host, self.proxy_port, self.user, self.password = parse_proxy(proxy)
        self.host, self.port, self.timeout = host, port, timeout

    def connect(self, protocolFactory: Factory) -> Deferred[Protocol]:
        handshake: list[Protocol] = []

        def cancel(_: Deferred[Protocol]) -> None:
            if handshake and handshake[0].transport is not None:
                handshake[0].transport.abortConnection()

        done: Deferred[Protocol] = Deferred(cancel)
        proxy = HostnameEndpoint(self.reactor, self.proxy_host, self.proxy_port,
                                 timeout=self.timeout)  # fmt: skip
        connecting = proxy.connect(cast(Any, _HandshakeFactory(self, protocolFactory, done)))

        def connected(protocol: Protocol) -> None:
            handshake.append(protocol)

        def failed(failure: Failure) -> None:
            if not done.called:
                done.errback(failure)

        connecting.addCallbacks(connected, failed)
        return done


@implementer(IAgentEndpointFactory)
class _SocksEndpoints:
    def __init__(self, reactor: Any, proxy: str, policy: Any, timeout: float) -> None:
        self.reactor, self.proxy, self.policy, self.timeout = reactor, proxy, policy, timeout

    def endpointForURI(self, uri: URI) -> Any:
        host = uri.host.decode("ascii")
        endpoint: Any = Socks5Endpoint(self.reactor, self.proxy, host, uri.port, self.timeout)
        if uri.scheme == b"https":
            creator = self.policy.creatorForNetloc(uri.host, uri.port)
            endpoint = wrapClientTLS(creator, endpoint)
        return endpoint


class _SocksAgent(_ScrapyAgent):
    """Scrapy's agent (body reading, size limits, timeouts) over a SOCKS5 connection."""

    def __init__(self, *, socks: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._socks = socks

    def _get_agent(self, request: Request, timeout: float) -> Agent:
        from twisted.internet import reactor

        endpoints = _SocksEndpoints(reactor, self._socks, self._contextFactory, timeout)
        agent = Agent.usingEndpointFactory(reactor, endpoints, pool=self._pool)  # type: ignore[no-untyped-call]
        return cast(Agent, agent)


class SocksDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler, and SOCKS5 for requests with ``meta[SOCKS_META]``."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._socks_pools: dict[str, HTTPConnectionPool] = {}

    def _socks_pool(self, proxy: str) -> HTTPConnectionPool:
        # A pool of its own per proxy: connections are pooled by (scheme, host, port),
        # and one made through Tor must never be reused for a direct request.
        if proxy not in self._socks_pools:
            from twisted.internet import reactor

            pool = HTTPConnectionPool(reactor, persistent=True)  # type: ignore[no-untyped-call]
            pool.maxPersistentPerHost = self._pool.maxPersistentPerHost
            pool._factory = _LenientHTTP11ClientFactory
            self._socks_pools[proxy] = pool
        return self._socks_pools[proxy]

    async def download_request(self, request: Request) -> Response:
        proxy = request.meta.get(SOCKS_META)
        if not proxy:
            return await super().download_request(request)
        agent = _SocksAgent(
            socks=str(proxy), contextFactory=self._contextFactory,
            pool=self._socks_pool(str(proxy)), maxsize=self._default_maxsize,
            warnsize=self._default_warnsize, fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler, tls_verbose_logging=self._tls_verbose_logging,
        )  # fmt: skip
        with wrap_twisted_exceptions():
            return cast(Response, await maybe_deferred_to_future(agent.download_request(request)))

    async def close(self) -> None:
        for pool in self._socks_pools.values():
            # Not awaited: closing can hang on a dead proxy (Scrapy times its own out).
            pool.closeCachedConnections()  # type: ignore[no-untyped-call]
        await super().close()
