"""Options of one crawl (command-line flags; none of them is a workspace setting yet)."""

from __future__ import annotations

from dataclasses import dataclass, field

from netpatrol.crawl.sites import registrable_domain

DEFAULT_USER_AGENT = "netpatrol/0.1 (+cyber-patrol crawler; contact your operator)"


@dataclass(frozen=True)
class CrawlOptions:
    seeds: list[str]
    max_pages: int = 1000  # per seed domain
    depth: int = 5
    concurrency: int = 4  # per domain
    delay: float = 0.5  # seconds between requests to a domain (AutoThrottle's start)
    autothrottle: bool = True
    user_agent: str = DEFAULT_USER_AGENT
    obey_robots: bool = True
    timeout: float = 30.0
    max_size: int = 32 * 1024 * 1024
    retries: int = 2
    backoff: float = 1.0  # seconds before the first retry, doubled for each next one
    max_redirects: int = 5
    stall_timeout: float = 120.0  # watchdog: a domain with no progress this long is skipped
    progress_interval: float = 10.0
    progress: bool = True
    focus: bool = True  # prioritise listing, pagination and category links
    allow_private: bool = False
    proxies: dict[str, str] = field(default_factory=dict)  # seed domain -> http(s) proxy
    tor_proxy: str | None = None  # socks5h://host:port for .onion (and all with tor_all)
    tor_all: bool = False
    recheck: bool = False  # re-fetch known listings and seeds, follow no link
    js: frozenset[str] = frozenset()  # seed domains whose pages are rendered in chromium
    chromium: str | None = None  # the browser's executable, when js is not empty

    def via_socks(self, host: str) -> bool:
        return self.tor_proxy is not None and (self.tor_all or host.endswith(".onion"))

    def renders(self, url: str) -> bool:
        """Whether this page is rendered in the browser (its site is a js seed's)."""
        return bool(self.js) and registrable_domain(url) in self.js

    def scope(self) -> dict[str, object]:
        """What makes two runs the same job (politeness and speed do not)."""
        return {"max_pages": self.max_pages, "depth": self.depth,
                "robots": self.obey_robots, "focus": self.focus,
                **({"recheck": True} if self.recheck else {}),
                **({"js": sorted(self.js)} if self.js else {})}  # fmt: skip
