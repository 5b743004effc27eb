"""``netpatrol ingest``: files -> importers -> evidence + store, resumable and idempotent.

Order of writes, so that a crash or Ctrl-C never leaves half a record: evidence bytes
are written and fsynced first, then one database transaction stores the batch. A re-run
skips files already complete and, inside an interrupted file, captures already stored.

When the workspace has a sensitive hash bank, an archive is screened before it is kept:
images that match one never reach the evidence folder (``collect.sanitize``,
``media.quarantine``). Importers that write their own records (HTML pages, ad exports)
carry no image bytes today: there is nothing to screen there.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from netpatrol.collect.base import Importer, ImportOptions, SourceFile
from netpatrol.collect.files import Candidate, expand
from netpatrol.collect.ingest_records import (
    Batch,
    FileOutcome,
    IngestReport,
    Kept,
    PendingSource,
    Progress,
    fingerprint,
)
from netpatrol.collect.pipeline import BackgroundWorker
from netpatrol.collect.registry import Registry
from netpatrol.errors import InputError, UnknownFormatError, display
from netpatrol.model import Capture, EvidenceRef
from netpatrol.store import Store
from netpatrol.store.banks import list_banks
from netpatrol.store.evidence import EvidenceWriter, preserve_source, sha256_of_file

if TYPE_CHECKING:  # the imaging stack loads only when a sensitive bank needs it
    from netpatrol.media.quarantine import Quarantined, Screener

# Bounds memory whatever the page sizes: a batch holds its payloads until stored.
MAX_BATCH_BYTES = 32 * 1024 * 1024

# TEST-ONLY pause point, so that tests can interrupt an import mid-way without racing it:
# with NETPATROL_TEST_PAUSE_AFTER_RECORDS=N set, once at least N records are committed the
# run writes that count to the file NETPATROL_TEST_PAUSE_MARKER names (if set) and sleeps for
# the test's SIGINT or SIGKILL. Read once per run; unset (always, outside tests) it does
# nothing. It is not a setting and not documented for users.
TEST_PAUSE_ENV = "NETPATROL_TEST_PAUSE_AFTER_RECORDS"
TEST_PAUSE_MARKER_ENV = "NETPATROL_TEST_PAUSE_MARKER"
TEST_PAUSE_SECONDS = 300  # bounded: a test that never signals still ends


class Ingest:
    """One ingest run over many files; storing runs on a background thread."""

    def __init__(
        self,
        store: Store,
        registry: Registry,
        evidence_dir: Path,
        options: ImportOptions,
        batch_size: int = 2000,
        progress: Progress | None = None,
        format_name: str | None = None,
        index_dir: Path | None = None,
    ) -> None:
        """``index_dir``: the hash banks' index cache (default ``<workspace>/index/banks``)."""
        self.store = store
        self.registry = registry
        self.evidence_dir = evidence_dir
        self.options = options
        self.batch_size = batch_size
        self.progress = progress or Progress()
        self.forced = registry.get(format_name) if format_name else None
        self.writer = EvidenceWriter(evidence_dir)
        self.batch = Batch()
        self.records_read = 0  # in the current file
        self.index_dir = index_dir or evidence_dir.parent / "index" / "banks"
        self._screener: Screener | None = None
        self._screener_ready = False
        pause = os.environ.get(TEST_PAUSE_ENV)  # test-only, see TEST_PAUSE_ENV
        self._pause_after = int(pause) if pause else None
        self._submitted = 0  # records handed to the storing thread in this run

    def run(self, paths: Sequence[Path], exclude: Sequence[Path] = ()) -> IngestReport:
        report = IngestReport()
        self.worker: BackgroundWorker[Batch] = BackgroundWorker(self._store_batch)
        try:
            for candidate in expand(paths, exclude):
                outcome = self._one(candidate)
                if outcome is not None:
                    report.files.append(outcome)
                    self.progress.end_file(outcome)
        finally:
            # Complete records read before a fault or Ctrl-C are stored: resuming
            # expects exactly that, and skips them next time.
            self._submit()
            try:
                self.worker.close()
            finally:
                self.writer.close()
        return report

    def _one(self, candidate: Candidate) -> FileOutcome | None:
        path = candidate.path
        shown = display(path)
        if candidate.error is not None:
            return FileOutcome(shown, None, "failed", errors=[candidate.error])
        try:
            importer = self.registry.detect(path, self.forced)
        except UnknownFormatError as exc:
            if not candidate.explicit:
                return FileOutcome(shown, None, "skipped")
            return FileOutcome(shown, None, "failed", errors=[str(exc)])
        except InputError as exc:
            return FileOutcome(shown, None, "failed", errors=[str(exc)])
        except OSError as exc:
            return FileOutcome(shown, None, "failed", errors=[f"{shown}: {exc.strerror}"])
        return self._import(candidate, importer)

    def _import(self, candidate: Candidate, importer: type[Importer]) -> FileOutcome:
        path = candidate.path
        outcome = FileOutcome(display(path), importer.name(), "imported")
        options = fingerprint(importer, self.options)
        kept = self._keep(path, importer, options)
        if kept is None:
            outcome.status = "already"
            return outcome
        size = path.stat().st_size
        pending = PendingSource(
            kept.sha256, display(path.resolve()), importer.name(), size, kept.evidence_file, options
        )
        pending.sanitized_sha256 = kept.sanitized_sha256
        pending.quarantined = len(kept.quarantined)
        self.batch.started.append(pending)
        self._queue_quarantined(outcome, pending, kept.quarantined)
        self.progress.start_file(path, size)
        source = SourceFile(
            path, kept.read_path, candidate.root, kept.evidence_file, self._on_progress
        )
        fatal: str | None = None
        try:
            self._read(importer(), source, pending, outcome, kept.replaced)
            if kept.fault is not None:  # the copy ends before it: reading it went well
                raise InputError(
                    kept.fault.path,
                    f"{kept.fault.reason}; nothing from there on is kept (it could not be "
                    "screened for sensitive images)",
                    offset=kept.fault.offset,
                )
        except InputError as exc:
            fatal = str(exc)
            outcome.errors.append(fatal)
        if outcome.errors:
            outcome.status = "failed"
        self.batch.finished.append((pending, fatal or ("; ".join(outcome.errors[:3]) or None)))
        return outcome

    def _keep(self, path: Path, importer: type[Importer], options: str) -> Kept | None:
        """Digest and evidence copy of a file; None when it was imported in full before."""
        screener = self._screener_for_run() if importer.keeps_original else None
        if screener is not None:
            return self._keep_screened(path, options, screener)
        if importer.keeps_original:
            # Hashing a large archive takes seconds: it gets a bar of its own.
            self.progress.start_file(Path(f"sha256 {path.name}"), path.stat().st_size)
            sha, evidence_file = preserve_source(
                self.evidence_dir, path, lambda done: self.progress.advance(done, 0)
            )
            kept = Kept(sha, evidence_file, self.evidence_dir / evidence_file)
        else:
            kept = Kept(sha256_of_file(path), None, path)
        return None if self._complete(kept.sha256, options) else kept

    def _keep_screened(self, path: Path, options: str, screener: Screener) -> Kept | None:
        """Hash, screen, then keep the verbatim copy or a sanitized one: nothing of the file
        is in the evidence folder before its images were matched."""
        from netpatrol.collect.sanitize import screen_archive, write_sanitized

        size = path.stat().st_size
        self.progress.start_file(Path(f"sha256 {path.name}"), size)
        sha = sha256_of_file(path, lambda done: self.progress.advance(done, 0))
        if self._complete(sha, options):  # checked first: a re-run screens nothing
            return None
        self.progress.start_file(Path(f"screen {path.name}"), size)
        screened = screen_archive(path, screener, lambda done: self.progress.advance(done, 0))
        if not screened.needs_copy:
            _, evidence_file = preserve_source(self.evidence_dir, path, sha=sha)
            return Kept(sha, evidence_file, self.evidence_dir / evidence_file)
        copy = write_sanitized(self.evidence_dir, path, screened)
        return Kept(
            sha,
            copy.evidence_file,
            self.evidence_dir / copy.evidence_file,
            screened.quarantined,
            copy.replaced,
            screened.fault,
            copy.sha256,
        )

    def _complete(self, sha: str, options: str) -> bool:
        state = self.store.source_state(sha)
        return state is not None and state.status == "complete" and state.options == options

    def _screener_for_run(self) -> Screener | None:
        """Built once per run, and only when a bank is sensitive (the bank index loads the
        imaging and faiss libraries: an ingest without sensitive banks does not)."""
        if not self._screener_ready:
            self._screener_ready = True
            if any(bank.sensitive for bank in list_banks(self.store)):
                from netpatrol.media.quarantine import Screener

                self._screener = Screener.open(self.store, self.index_dir)
        return self._screener

    def _queue_quarantined(
        self, outcome: FileOutcome, pending: PendingSource, entries: list[Quarantined]
    ) -> None:
        for entry in entries:
            self.batch.captures.append((outcome, pending, entry.capture))
            self.batch.quarantined.append(entry)

    def _on_progress(self, position: int) -> None:
        self.progress.advance(position, self.records_read)

    def _read(
        self,
        importer: Importer,
        source: SourceFile,
        pending: PendingSource,
        outcome: FileOutcome,
        replaced: frozenset[int] = frozenset(),
    ) -> None:
        """``replaced``: offsets of the sanitized copy's replacement records, which stand for
        quarantined captures already queued (an ARC reader would take them for pages)."""
        self.records_read = 0
        for item in importer.records(source, self.options):
            self.records_read += 1
            if replaced and isinstance(item, Capture) and _offset(item) in replaced:
                continue
            if isinstance(item, InputError):
                outcome.errors.append(str(item))
                if len(outcome.errors) >= self.options.max_errors:
                    raise InputError(source.path, "too many bad records; giving up")
                continue
            if item.record_type == "revisit":
                self._submit()
                self.worker.drain()  # the original may be in a batch not yet stored
                self._resolve_revisit(item)
            self.batch.captures.append((outcome, pending, item))
            self.batch.payload_bytes += len(item.payload)
            if (
                len(self.batch.captures) >= self.batch_size
                or self.batch.payload_bytes >= MAX_BATCH_BYTES
            ):
                self._submit()
                if self._pause_after is not None:
                    self._test_pause(self._pause_after)

    def _submit(self) -> None:
        if self.batch.started or self.batch.captures or self.batch.finished:
            self._submitted += len(self.batch.captures)
            self.worker.submit(self.batch)
            self.batch = Batch()

    def _test_pause(self, after: int) -> None:
        """TEST-ONLY (see ``TEST_PAUSE_ENV``): once ``after`` records are committed, say so
        and sleep in the main thread, where a SIGINT raises KeyboardInterrupt as usual."""
        if self._submitted < after:
            return
        self._pause_after = None  # once per run
        self.worker.drain()  # committed, not merely queued
        marker = os.environ.get(TEST_PAUSE_MARKER_ENV)
        if marker:  # written whole, then renamed: the test never reads half of it
            Path(f"{marker}.tmp").write_text(f"{self._submitted}\n", encoding="utf-8")
            os.replace(f"{marker}.tmp", marker)
        time.sleep(TEST_PAUSE_SECONDS)

    def _store_batch(self, batch: Batch) -> None:
        """On the worker thread: sources, evidence (fsynced), captures, then outcomes."""
        for pending in batch.started:
            pending.id = self.store.begin_source(
                pending.sha256,
                pending.path,
                pending.importer,
                pending.size,
                pending.evidence_file,
                pending.options,
            ).id
            if pending.sanitized_sha256 is not None:
                # Chain of custody: what was received, and what is kept in its place.
                self.store.log_event(
                    "import.sanitized",
                    "source",
                    pending.id,
                    {
                        "sha256": pending.sha256,
                        "sanitized_sha256": pending.sanitized_sha256,
                        "evidence_file": pending.evidence_file,
                        "quarantined": pending.quarantined,
                    },
                )
        captures = [capture for _, _, capture in batch.captures]
        if any(capture.evidence is None for capture in captures):
            self._write_evidence(captures)
        new_keys = self.store.add_capture_batch(
            [(pending.id, capture) for _, pending, capture in batch.captures]
        )
        if batch.quarantined:
            from netpatrol.media.quarantine import save_quarantined

            save_quarantined(self.store, batch.quarantined)
        for outcome, _, capture in batch.captures:
            if capture.key in new_keys:
                new_keys.discard(capture.key)
                outcome.stored += 1
            else:
                outcome.duplicates += 1
        self.store.finish_sources(
            [(pending.id, error) for pending, error in batch.finished if pending.id is not None]
        )

    def _write_evidence(self, batch: list[Capture]) -> None:
        """Write evidence for new captures only; a payload already kept is pointed at."""
        existing = self.store.existing_keys([c.key for c in batch])
        written: dict[str, EvidenceRef] = {}
        for capture in batch:
            if capture.evidence is not None or capture.key in existing:
                continue
            sha = capture.payload_sha256
            ref = written.get(sha) or self.store.evidence_for_payload(sha)
            capture.evidence = ref or self.writer.write(capture)
            written[sha] = capture.evidence
        self.writer.sync()

    def _resolve_revisit(self, capture: Capture) -> None:
        if not capture.declared_digest:
            return
        original = self.store.capture_by_declared_digest(capture.declared_digest)
        if original is None:
            capture.meta["revisit_unresolved"] = True
            return
        sha, ref = original
        capture.meta["revisit_of_sha256"] = sha
        capture.meta["revisit_of"] = {"file": ref.file, "offset": ref.offset, "length": ref.length}


def _offset(capture: Capture) -> int | None:
    return capture.evidence.offset if capture.evidence is not None else None


__all__ = ["FileOutcome", "Ingest", "IngestReport", "Progress"]
