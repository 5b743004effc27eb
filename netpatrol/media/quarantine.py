"""Quarantine: an image that matches a bank marked sensitive is kept as hashes only.

Its bytes are never written to the evidence folder or the database and never shown: the
ingest screens every image record of an archive *before* anything of it reaches the
evidence folder (``netpatrol.collect.sanitize``), and keeps for a match only its hashes,
URL, capture and match rows. This module holds the policy (which image is quarantined),
the hashes-only description written in place of the record, and the rows stored for it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from netpatrol.media.decode import ImageError
from netpatrol.media.hashing import ImageHashes, digests, hash_image
from netpatrol.media.matching import BankIndex, MatchResult
from netpatrol.model import Capture
from netpatrol.store.banks import EXACT_KINDS, list_banks
from netpatrol.store.images import MIN_PDQ_QUALITY
from netpatrol.store.schema import CaptureRow, ImageRow, MatchRow
from netpatrol.store.store import Store, now

# Magic numbers of the image formats ``media.decode`` opens: an image served as
# application/octet-stream (or with no type at all) is screened too.
_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")


def is_image(capture: Capture) -> bool:
    """Whether a response/resource record holds an image, by its type or its first bytes."""
    if capture.record_type not in {"response", "resource"} or not capture.payload:
        return False
    if (capture.content_type or "").lower().startswith("image/"):
        return True
    head = capture.payload[:16]
    return head.startswith(_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")


@dataclass(frozen=True)
class Quarantined:
    """A record whose image matched a sensitive bank: everything kept of it.

    ``capture`` is the quarantined capture: the original's URL, time, headers and payload
    SHA-256 (its key, so a re-import is a duplicate), with no payload; its evidence is
    where the record was in the file screened until the sanitized copy says where its
    replacement is. ``md5``/``sha256`` identify even an undecodable image (``error``).
    """

    capture: Capture
    md5: str
    sha256: str
    hashes: ImageHashes | None
    error: str | None
    matches: tuple[MatchResult, ...]

    def description(self) -> dict[str, Any]:
        """The body of the record written in its place: hashes and the best match only."""
        best = self.matches[0]
        found = self.hashes
        return {
            "quarantined": True,
            "md5": self.md5,
            "sha256": self.sha256,
            "pdq": found.pdq if found else None,
            "pdq_quality": found.pdq_quality if found else None,
            "phash": found.phash if found else None,
            "bank": best.bank,
            "kind": best.kind,
            "distance": best.distance,
        }

    def description_bytes(self) -> bytes:
        # Sorted keys, no spaces: the same image always gives the same record, so a
        # re-run writes a byte-identical sanitized copy (same name, nothing new).
        return json.dumps(self.description(), sort_keys=True, separators=(",", ":")).encode()


class Screener:
    """Decides, image by image, what is quarantined; built once per ingest run.

    Only the kinds some sensitive bank holds are computed for every image: with MD5 /
    SHA-256 banks alone, no image is decoded (the digests are enough); the full hashes
    are computed for the few that match.
    """

    def __init__(self, index: BankIndex) -> None:
        self.index = index
        sensitive = {bank.kind for bank in index.banks if bank.sensitive}
        self.perceptual = bool(sensitive - EXACT_KINDS)

    @classmethod
    def open(cls, store: Store, index_dir: Path) -> Screener | None:
        """A screener, or None when the workspace has no sensitive bank (nothing to do)."""
        if not any(bank.sensitive for bank in list_banks(store)):
            return None
        return cls(BankIndex(store, index_dir))

    def screen(self, capture: Capture) -> Quarantined | None:
        """The quarantine entry for an image capture that matches a sensitive bank."""
        if not is_image(capture):
            return None
        md5, sha256 = digests(capture.payload)
        query = {"md5": md5, "sha256": sha256}
        found: ImageHashes | None = None
        error: str | None = None
        if self.perceptual:
            found, error = _hashed(capture)
            query.update(_perceptual(found))
        matches = tuple(m for m in self.index.match(query) if m.sensitive)
        if not matches:
            return None
        if found is None and error is None:
            found, error = _hashed(capture)  # the images row keeps every hash
        return Quarantined(_without_payload(capture, sha256), md5, sha256, found, error, matches)


def _without_payload(capture: Capture, sha256: str) -> Capture:
    # Only the bytes go: the capture key (type, URL, time, real payload SHA-256) stays that
    # of the image, so importing the archive again finds it already stored.
    return replace(
        capture,
        record_type="quarantined",
        payload=b"",
        payload_sha256=sha256,
        # The stored payload length is that of no payload: the image's size is kept here.
        meta={**capture.meta, "quarantined": True, "payload_length": len(capture.payload)},
    )


def _hashed(capture: Capture) -> tuple[ImageHashes | None, str | None]:
    try:
        return hash_image(capture.payload, capture.url or "<record>"), None
    except ImageError as exc:
        return None, exc.reason


def _perceptual(found: ImageHashes | None) -> dict[str, str]:
    query: dict[str, str] = {}
    if found is None:
        return query
    # As ``hashes match``: a low-quality PDQ (near-uniform image) matches far too much.
    if found.pdq is not None and (found.pdq_quality or 0) >= MIN_PDQ_QUALITY:
        query["pdq"] = found.pdq
    if found.phash is not None:
        query["phash"] = found.phash
    return query


def save_quarantined(store: Store, entries: Sequence[Quarantined]) -> None:
    """The images row (hashes, no pixels) and a match row per sensitive match of each
    quarantined capture already stored; the capture is marked scanned so that ``scan``
    never reads it. Idempotent: a batch stored again after a crash adds nothing twice."""
    if not entries:
        return
    keys = [entry.capture.key for entry in entries]
    created = now()
    with store.session() as session, session.begin():
        found = session.execute(
            select(CaptureRow.key, CaptureRow.id).where(CaptureRow.key.in_(keys))
        )
        ids = {str(key): int(capture_id) for key, capture_id in found}
        present = set(
            session.scalars(
                select(ImageRow.capture_id).where(ImageRow.capture_id.in_(list(ids.values())))
            )
        )
        for entry in entries:
            capture_id = ids.get(entry.capture.key)
            if capture_id is None or capture_id in present:
                continue
            present.add(capture_id)
            session.add(_image_row(entry, capture_id, created))
            for match in entry.matches:
                session.add(
                    MatchRow(
                        bank_hash_id=match.hash_id,
                        capture_id=capture_id,
                        image_url=entry.capture.url,
                        image_sha256=entry.sha256,
                        distance=match.distance,
                        quarantined=True,
                        created_at=created,
                    )
                )
        session.execute(
            update(CaptureRow)
            .where(CaptureRow.id.in_(list(ids.values())), CaptureRow.scanned_at.is_(None))
            .values(scanned_at=created)
        )


def _image_row(entry: Quarantined, capture_id: int, created: Any) -> ImageRow:
    found = entry.hashes
    return ImageRow(
        capture_id=capture_id,
        url=entry.capture.url,
        md5=entry.md5,
        sha256=entry.sha256,
        pdq=found.pdq if found else None,
        pdq_quality=found.pdq_quality if found else None,
        phash=found.phash if found else None,
        width=found.width if found else None,
        height=found.height if found else None,
        pdq_cluster=None,  # not clustered: linking would show it beside other images
        error=entry.error,
        quarantined=True,
        created_at=created,
    )


__all__ = ["Quarantined", "Screener", "is_image", "save_quarantined"]
