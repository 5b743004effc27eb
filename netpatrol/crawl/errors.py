"""Kinds of crawl errors, for the summary: a few words each, stable for --json."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from twisted.internet import error as twisted_errors

from netpatrol.crawl.middlewares import NeedsTor, Refused, SkippedDomain
from netpatrol.crawl.socks import SocksError

_IGNORED = (
    ("robots.txt", "robots.txt"),
    ("max redirections", "redirect limit"),
    ("DOWNLOAD_MAXSIZE", "too large"),
    ("offsite", "offsite"),
)


def error_kind(exc: BaseException) -> str:
    if isinstance(exc, Refused):
        return "refused address"
    if isinstance(exc, NeedsTor):
        return "onion without --tor-proxy"
    if isinstance(exc, SocksError):
        return "socks proxy"
    if isinstance(exc, SkippedDomain):
        return "skipped by watchdog"
    if isinstance(exc, IgnoreRequest):
        for needle, kind in _IGNORED:
            if needle in str(exc):
                return kind
        return "ignored"
    if isinstance(exc, DownloadTimeoutError | twisted_errors.TimeoutError):
        return "timeout"
    if isinstance(exc, CannotResolveHostError | twisted_errors.DNSLookupError):
        return "dns"
    if isinstance(exc, DownloadConnectionRefusedError | twisted_errors.ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, DownloadCancelledError) or "max size" in str(exc):
        return "too large"
    if isinstance(exc, ResponseDataLossError):
        return "data loss"
    if isinstance(exc, DownloadFailedError | twisted_errors.ConnectionLost):
        return "connection failed"
    return type(exc).__name__
