"""JavaScript pages: seeds marked ``js=1`` (or ``--js``) are rendered by a headless chromium.

Through scrapy-playwright, driving the system's chromium (Debian's ``chromium`` package,
``/usr/bin/chromium``); Playwright never downloads a browser of its own. Only the pages of
those seeds' sites go through the browser (request meta ``playwright: True``, set by the
spider); robots.txt, images and every other site keep Scrapy's plain downloader.

What the evidence holds for a rendered page: the response record's payload is the DOM
serialised after the page's scripts ran (``page.content()``), not the bytes the server
sent; the record says so with a ``WARC-Netpatrol-Rendered`` field and an
``X-Netpatrol-Rendered`` header among the stored HTTP headers (status and headers are the
server's, for the final URL after the browser followed any redirects).

Safety (private, loopback, link-local and metadata addresses, unless allowed):

- the page's URL is checked, after DNS resolution, by the gate middleware before the
  request reaches the browser, as for any request;
- every request the page then makes (scripts, images, XHR/fetch, frames, navigations
  started by the page) passes through a Playwright route handler that resolves its host
  and aborts it when refused (``PLAYWRIGHT_ABORT_REQUEST``); service workers are blocked,
  so none can make requests that bypass the route handler;
- the address the browser connected to for the page is checked again on the response.

Not covered: redirects the browser follows on its own (Playwright routes only the first
request of a redirect chain: a public page redirecting to a private address reaches it,
though the final address check then refuses the capture); WebSockets and WebRTC (not
routed); DNS rebinding between our lookup and chromium's own for subrequests.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from functools import lru_cache
from typing import Any, Protocol

from netpatrol.crawl.safety import RefusedAddress, check_url

CHROMIUM_ENV = "NETPATROL_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "/usr/bin/chromium", "/usr/lib/chromium/chromium")
HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
RENDERED_HEADER = "X-Netpatrol-Rendered"
RENDERED_WARC = "WARC-Netpatrol-Rendered"

log = logging.getLogger(__name__)


class BrowserUnavailable(Exception):
    """JavaScript rendering was asked for and cannot be had."""


def find_chromium() -> str | None:
    """The chromium executable: $NETPATROL_CHROMIUM, else the system's, else None."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@lru_cache(maxsize=4)
def chromium_version(executable: str) -> str:
    """``chromium 156.0.8078.79``, or plain ``chromium`` when it cannot say."""
    try:
        done = subprocess.run([executable, "--version"], capture_output=True, text=True,
                              timeout=30, check=False)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return "chromium"
    words = [w for w in done.stdout.split() if w[:1].isdigit() and "." in w]
    return f"chromium {words[0]}" if words else "chromium"


def require_browser() -> str:
    """The chromium executable and scrapy-playwright, or BrowserUnavailable saying why."""
    try:
        import playwright  # noqa: F401
        import scrapy_playwright  # noqa: F401
    except ImportError:
        raise BrowserUnavailable(
            "JavaScript rendering needs the packages scrapy-playwright and playwright "
            "(pip install 'netpatrol[js]')"
        ) from None
    executable = find_chromium()
    if executable is None:
        raise BrowserUnavailable(
            "JavaScript rendering needs chromium (Debian: apt-get install chromium; or set "
            f"{CHROMIUM_ENV} to its executable); no browser is downloaded"
        )
    return executable


class _BrowserRequest(Protocol):
    @property
    def url(self) -> str: ...


async def refuse_private_subrequest(request: _BrowserRequest) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: True (abort) for a request to a refused address."""
    if not request.url.startswith(("http://", "https://")):
        return False  # data:, blob:, about: — nothing leaves the browser
    try:
        await check_url(request.url)
    except RefusedAddress as exc:
        log.warning("browser subrequest refused: %s", exc)
        return True
    return False


def playwright_settings(executable: str, timeout: float, allow_private: bool) -> dict[str, Any]:
    """Scrapy settings that add the browser beside the plain downloader."""
    # Never download a browser, whatever runs playwright later in this process.
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    settings: dict[str, Any] = {
        # Requests without meta["playwright"] fall through to Scrapy's HTTP/1.1 handler.
        "DOWNLOAD_HANDLERS": {"http": HANDLER, "https": HANDLER},
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": executable, "headless": True},
        # Service workers would fetch outside the route handler: blocked.
        "PLAYWRIGHT_CONTEXTS": {"default": {"service_workers": "block"}},
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": int(timeout * 1000),
    }
    if not allow_private:
        settings["PLAYWRIGHT_ABORT_REQUEST"] = refuse_private_subrequest
    return settings
