"""Responses -> WARC evidence (fsynced) -> capture rows, in a worker thread.

The reactor thread only builds the capture (its key is known at once) and puts it on a
bounded queue; one worker thread compresses and writes the WARC records, and commits the
rows, so gzip, fsync and SQLite run beside the crawl instead of in its way. Evidence is
written and made durable before the database points at it, in small batches (a few pages
or half a second) so a fast crawl does not wait on one fsync and one transaction per
page; kill -9 loses at most the pages queued or in the batch in flight, which the resumed
job fetches again (their orphan records stay in the WARC file, unreferenced). ``close``
writes and commits everything queued, also after an error or Ctrl-C; a failure in the
worker is raised in the reactor at the next ``add`` and again by ``close``.
"""

from __future__ import annotations

import queue
import threading
import time

from netpatrol.crawl.evidence import CrawlWarcWriter, Exchange, stored_headers
from netpatrol.crawl.job import Job
from netpatrol.model import Capture
from netpatrol.store import Store

BATCH_PAGES = 16
BATCH_SECONDS = 0.5
QUEUE_PAGES = 256  # the reactor waits when the worker is this far behind


class CaptureSink:
    def __init__(self, store: Store, writer: CrawlWarcWriter, job: Job) -> None:
        self.store = store
        self.writer = writer
        self.job = job
        self.pending: list[Capture] = []  # written, fsync and commit to come (worker only)
        self.first_pending = 0.0
        self._queue: queue.Queue[tuple[Exchange, Capture] | None] = queue.Queue(QUEUE_PAGES)
        self._error: BaseException | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._work, name="netpatrol-evidence")
        self._thread.start()

    def add(
        self, exchange: Exchange, content_type: str | None, meta: dict[str, object] | None = None
    ) -> str:
        """Queue the exchange for evidence and its capture; return the capture's key."""
        self._raise()
        if self._closed:
            raise RuntimeError("capture sink already closed")
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
            meta={"crawl_job": self.job.id[:16], "ip_address": exchange.ip_address, **(meta or {})},
        )
        key = capture.key
        self._queue.put((exchange, capture))
        return key

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _work(self) -> None:
        try:
            self._loop()
        except BaseException as exc:  # handed to the reactor thread
            if self._error is None:
                self._error = exc
        finally:
            try:
                self.writer.close()
            except BaseException as exc:  # handed to the reactor thread
                if self._error is None:
                    self._error = exc

    def _loop(self) -> None:
        while True:
            timeout = None
            if self.pending:
                timeout = max(0.0, self.first_pending + BATCH_SECONDS - time.monotonic())
            try:
                item = self._queue.get(timeout=timeout)
            except queue.Empty:
                self._commit()
                continue
            if item is None:  # close()
                self._commit()
                return
            if self._error is not None:
                continue  # drain without writing: the crawl is told and stops adding
            exchange, capture = item
            try:
                capture.evidence = self.writer.write(exchange)
            except BaseException as exc:  # handed to the reactor thread
                self._error = exc
                self._commit()
                continue
            if not self.pending:
                self.first_pending = time.monotonic()
            self.pending.append(capture)
            if (
                len(self.pending) >= BATCH_PAGES
                or time.monotonic() - self.first_pending > BATCH_SECONDS
            ):
                self._commit()

    def _commit(self) -> None:
        """fsync the evidence written so far, then commit the captures pointing at it."""
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        try:
            self.writer.sync()
            self.store.add_capture_batch([(self.job.source_id, c) for c in batch])
        except BaseException as exc:  # handed to the reactor thread
            if self._error is None:
                self._error = exc

    def close(self) -> None:
        """Write and commit everything queued, stop the worker, close the WARC file.

        The worker is not a daemon: interrupted here (a second Ctrl-C), it still writes
        and commits what is queued, and closes the file, before the process exits.
        """
        if not self._closed:
            self._closed = True
            self._queue.put(None)
        self._thread.join()
        self._raise()
