"""``netpatrol scan``: every capture not yet scanned -> listings, identifiers and
detections, stored.

Incremental (only captures without ``scanned_at``), in batches of one transaction each,
so a crash or Ctrl-C re-scans at most one batch and never stores anything twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from netpatrol.act.geoip import GeoIPDatabase, shipped_geoip
from netpatrol.detect.classify import Classification
from netpatrol.errors import EvidenceError, NetpatrolError, brief
from netpatrol.extract.page import extract_page
from netpatrol.extract.text import extract_ad
from netpatrol.media.scan_images import ImageScanner, is_image
from netpatrol.model import Detection, EvidenceSpan, Listing
from netpatrol.store import Store
from netpatrol.store.evidence import read_record
from netpatrol.store.images import HashedImage, attach_image_identifiers, image_clusters_for
from netpatrol.store.jurisdictions import refresh_jurisdictions
from netpatrol.store.listings import PendingCapture, count_unscanned, save_scan, unscanned

BATCH = 200
HTML_MARKERS = (b"<html", b"<!doctype html", b"<head", b"<body")
_log = logging.getLogger(__name__)


@dataclass
class ScanReport:
    captures: int = 0
    listings: int = 0
    images: int = 0
    matches: int = 0  # image matches on hash banks
    skipped: int = 0  # not a page or an ad (images, JSON, revisits...)
    errors: list[str] = field(default_factory=list)


def listings_for(capture: PendingCapture, payload: bytes) -> list[Listing] | None:
    """Listings of one capture; None when the capture is not something to extract."""
    if capture.record_type == "ad":
        return [extract_ad(payload)]
    if capture.record_type == "revisit" or not _is_html(capture.content_type, payload):
        return None
    return extract_page(payload, capture.url, capture.content_type)


def _is_html(content_type: str | None, payload: bytes) -> bool:
    if content_type and "html" in content_type.lower():
        return True
    if content_type and not content_type.lower().startswith(("text/", "application/octet")):
        return False
    head = payload[:1024].lstrip().lower()
    return any(marker in head for marker in HTML_MARKERS)


def scan(
    store: Store,
    evidence_dir: Path,
    on_progress: Callable[[int, int], None] = lambda done, total: None,
    index_dir: Path | None = None,
    geoip: GeoIPDatabase | None = None,
) -> ScanReport:
    """``index_dir``: where the hash banks' index is cached (default: beside the evidence);
    ``geoip``: the database for hosting countries (default: the shipped one)."""
    report = ScanReport()
    total = count_unscanned(store)
    scanner = ImageScanner(store, index_dir or evidence_dir.parent / "index" / "banks")
    clusters: dict[str, str] = {}
    shown: set[str] = set()
    last = 0
    while batch := unscanned(store, last, BATCH):
        images: list[HashedImage] = []
        results: list[tuple[int, list[Listing]]] = []
        for capture in batch:
            payload = _payload(capture, evidence_dir, report)
            if payload is not None and is_image(capture, payload):
                images.append(scanner.hashed(capture, payload))
                results.append((capture.id, []))
            else:
                results.append((capture.id, _listings(capture, payload, report)))
        detections = detect_batch([listings for _, listings in results], report)
        report.listings += save_scan(store, results, detections, images)
        report.images += len(images)
        report.matches += sum(len(i.matches) for i in images)
        clusters.update({i.url: i.cluster for i in images if i.url and i.cluster})
        shown.update(url for _, listings in results for x in listings for url in x.images)
        report.captures += len(batch)
        last = batch[-1].id
        on_progress(report.captures, total)
    # Listings and their images may come in any order, and in different scans.
    attach_image_identifiers(store, {**image_clusters_for(store, shown), **clusters})
    # Cheap (stored facts only, rows rewritten only when they change): reports made
    # after any scan have every site's jurisdiction.
    refresh_jurisdictions(store, geoip or shipped_geoip())
    store.log_event(
        "scan",
        detail={
            "captures": report.captures,
            "listings": report.listings,
            "errors": len(report.errors),
        },
    )
    return report


def detect_batch(batches: list[list[Listing]], report: ScanReport) -> list[list[Detection]] | None:
    """The category of every listing of a batch, scored together (one matrix product)."""
    from netpatrol.detect.classify import classify_subjects
    from netpatrol.detect.jsonl import listing_subject
    from netpatrol.detect.model import MODEL_VERSION

    flat = [x for listings in batches for x in listings]
    try:
        found = iter(classify_subjects([listing_subject(x) for x in flat]))
    except NetpatrolError as exc:  # no model: listings are still stored, detection later
        if str(exc) not in report.errors:
            report.errors.append(str(exc))
        return None
    version = f"model-v{MODEL_VERSION}"
    return [[_detection(next(found), version) for _ in listings] for listings in batches]


def _detection(found: Classification, version: str) -> Detection:
    return Detection(
        "classifier",
        found.category,  # type: ignore[arg-type]
        found.score,
        found.labels,
        tuple(EvidenceSpan(e.kind, e.text, e.start, e.end) for e in found.evidence),
        version,
    )


def _payload(capture: PendingCapture, evidence_dir: Path, report: ScanReport) -> bytes | None:
    if capture.record_type == "quarantined":
        return None  # its bytes were never stored: only hashes (media.quarantine)
    try:
        return read_record(evidence_dir, capture.evidence).payload
    except EvidenceError as exc:
        report.errors.append(f"capture {capture.id} ({capture.url}): {exc}")
        return None


def _listings(capture: PendingCapture, payload: bytes | None, report: ScanReport) -> list[Listing]:
    if payload is None:
        return []
    try:
        listings = listings_for(capture, payload)
    except Exception as exc:  # one odd page must not stop a patrol scan
        _log.exception("extraction failed for capture %s", capture.id)
        report.errors.append(
            f"capture {capture.id} ({capture.url}): extraction failed: "
            f"{type(exc).__name__}: {brief(exc)}"
        )
        return []
    if listings is None:
        report.skipped += 1
        return []
    return listings
