"""What a crawl did, per domain and in total: pages, bytes, errors by kind."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class DomainStats:
    pages: int = 0  # responses captured as evidence (any status)
    replayed: int = 0  # pages of a resumed job read back from evidence
    bytes: int = 0
    scheduled: int = 0
    finished: int = 0  # scheduled requests that ended (response or error)
    errors: Counter[str] = field(default_factory=Counter)
    last_progress: float = field(default_factory=time.monotonic)
    skipped: bool = False

    @property
    def pending(self) -> int:
        return max(0, self.scheduled - self.finished)


@dataclass
class CrawlStats:
    domains: dict[str, DomainStats] = field(default_factory=dict)
    fetched: Counter[str] = field(default_factory=Counter)  # downloads per site (budget)
    over_budget: int = 0  # links found but not fetched: the page budget was spent
    started: float = field(default_factory=time.monotonic)
    finish_reason: str = ""
    job_id: str = ""
    resumed: bool = False
    evidence_file: str = ""

    def domain(self, name: str) -> DomainStats:
        if name not in self.domains:
            self.domains[name] = DomainStats()
        return self.domains[name]

    def summary(self) -> dict[str, Any]:
        errors: Counter[str] = Counter()
        for stats in self.domains.values():
            errors.update(stats.errors)
        return {
            "job": self.job_id[:16],
            "resumed": self.resumed,
            "finish_reason": self.finish_reason,
            "seconds": round(time.monotonic() - self.started, 2),
            "pages": sum(s.pages for s in self.domains.values()),
            "replayed": sum(s.replayed for s in self.domains.values()),
            "bytes": sum(s.bytes for s in self.domains.values()),
            "not_fetched_over_budget": self.over_budget,
            "errors": dict(sorted(errors.items())),
            "skipped_domains": sorted(d for d, s in self.domains.items() if s.skipped),
            "evidence_file": self.evidence_file,
            "domains": {
                name: {
                    "pages": s.pages,
                    "replayed": s.replayed,
                    "bytes": s.bytes,
                    "errors": dict(sorted(s.errors.items())),
                }
                for name, s in sorted(self.domains.items())
            },
        }
