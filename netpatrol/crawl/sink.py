"""Responses -> WARC evidence (fsynced) -> capture rows, as they arrive.

Evidence is written and made durable before the database points at it, in small
batches (a few pages or half a second) so a fast crawl does not wait on one fsync and
one transaction per page; kill -9 loses at most the batch in flight, whose pages the
resumed job fetches again (their orphan records stay in the WARC file, unreferenced).
"""

from __future__ import annotations

import time

from netpatrol.crawl.evidence import CrawlWarcWriter, Exchange, stored_headers
from netpatrol.crawl.job import Job
from netpatrol.model import Capture
from netpatrol.store import Store

BATCH_PAGES = 16
BATCH_SECONDS = 0.5


class CaptureSink:
    def __init__(self, store: Store, writer: CrawlWarcWriter, job: Job) -> None:
        self.store = store
        self.writer = writer
        self.job = job
        self.pending: list[Capture] = []
        self.first_pending = 0.0

    def add(
        self, exchange: Exchange, content_type: str | None, meta: dict[str, object] | None = None
    ) -> str:
        """Write the exchange as evidence and queue its capture; return the capture's key."""
        ref = self.writer.write(exchange)
        headers = stored_headers(exchange.response_headers, exchange.body)
        capture = Capture(
            url=exchange.url,
            record_type="response",
            payload=exchange.body,
            captured_at=exchange.captured_at,
            content_type=content_type,
            http_status=exchange.status,
            http_headers=headers,
            request_headers=exchange.request_headers,
            evidence=ref,
            meta={"crawl_job": self.job.id[:16], "ip_address": exchange.ip_address, **(meta or {})},
        )
        if not self.pending:
            self.first_pending = time.monotonic()
        self.pending.append(capture)
        if (
            len(self.pending) >= BATCH_PAGES
            or time.monotonic() - self.first_pending > BATCH_SECONDS
        ):
            self.flush()
        return capture.key

    def flush(self) -> None:
        if not self.pending:
            return
        self.writer.sync()
        self.store.add_capture_batch([(self.job.source_id, c) for c in self.pending])
        self.pending = []

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.writer.close()
