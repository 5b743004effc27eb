"""A crawl job: its identity, its Scrapy JOBDIR, and what it already captured.

The same command (same seeds and scope) is the same job. While a job is unfinished,
re-running the command resumes it; once finished, the next run is a new job (a patrol
repeats). The job is a row of the ``sources`` table (importer ``crawl``), so its
captures point at it and the store says whether it completed.

Resuming after kill -9: Scrapy's JOBDIR is only consistent after a graceful stop (its
seen-requests file and queues are written in buffered chunks), so a run that finds the
"running" marker of a killed run discards Scrapy's state and walks again from the seeds;
pages the job already captured are then replayed from the evidence, not fetched again,
which restores the frontier and adds no duplicate capture.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from netpatrol.model import EvidenceRef
from netpatrol.store import Store
from netpatrol.store.schema import CaptureRow

JOBS_DIR = Path("crawl") / "jobs"
RUNNING_MARKER = "netpatrol-running"


@dataclass(frozen=True)
class KnownPage:
    """A page this job captured: replayed on resume instead of fetched again."""

    status: int
    headers: list[tuple[str, str]]
    evidence: EvidenceRef


@dataclass
class Job:
    id: str  # 64 hex: the sources row's sha256
    source_id: int
    jobdir: Path
    resumed: bool
    killed: bool  # the previous run of this job did not stop cleanly
    known: dict[str, KnownPage]

    def mark_running(self) -> None:
        (self.jobdir / RUNNING_MARKER).write_text("crawl in progress\n", encoding="utf-8")

    def mark_stopped(self) -> None:
        (self.jobdir / RUNNING_MARKER).unlink(missing_ok=True)


def job_spec(seeds: list[str], scope: dict[str, object]) -> str:
    return json.dumps({"seeds": sorted(seeds), "scope": scope}, sort_keys=True)


def open_job(
    store: Store, workspace: Path, seeds: list[str], scope: dict[str, object], kind: str = "crawl"
) -> Job:
    """The unfinished job of this command if any, else a new one (``kind`` labels it)."""
    spec = job_spec(seeds, scope)
    run = 1
    while True:
        job_id = hashlib.sha256(f"{spec}\x1f{run}".encode()).hexdigest()
        state = store.source_state(job_id)
        if state is None or state.status != "complete":
            break
        run += 1
    resumed = state is not None
    label = f"{kind} " + " ".join(sorted(seeds))[:200]
    source = store.begin_source(job_id, label, "crawl", len(seeds), None, spec[:64])
    jobdir = workspace / JOBS_DIR / job_id[:16]
    killed = (jobdir / RUNNING_MARKER).exists()
    if killed:
        # Scrapy's queue and seen-requests file may be torn: start its state afresh.
        shutil.rmtree(jobdir)
    if not resumed and jobdir.exists():
        shutil.rmtree(jobdir)
    jobdir.mkdir(parents=True, exist_ok=True)
    known = known_pages(store, source.id) if resumed else {}
    return Job(job_id, source.id, jobdir, resumed, killed, known)


def known_pages(store: Store, source_id: int) -> dict[str, KnownPage]:
    """The final response for each URL this job captured (a later one wins)."""
    found: dict[str, KnownPage] = {}
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(
                CaptureRow.url, CaptureRow.http_status, CaptureRow.http_headers,
                CaptureRow.evidence_file, CaptureRow.evidence_offset, CaptureRow.evidence_length,
            )
            .where(CaptureRow.source_id == source_id)
            .order_by(CaptureRow.id)
        )  # fmt: skip
        for url, status, headers, file, offset, length in rows:
            if url is None or status is None:
                continue
            pairs = [(str(k), str(v)) for k, v in headers or []]
            found[url] = KnownPage(int(status), pairs, EvidenceRef(file, offset, length))
    return found


def finish_job(store: Store, job: Job, error: str | None) -> None:
    """A job that ran to its end is complete; an interrupted one stays resumable."""
    if error is None:
        store.finish_source(job.source_id, None)
        shutil.rmtree(job.jobdir, ignore_errors=True)
    else:
        job.mark_stopped()
