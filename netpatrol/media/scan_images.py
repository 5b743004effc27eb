"""The image half of ``netpatrol scan``: image captures hashed, clustered and matched."""

from __future__ import annotations

from pathlib import Path

from netpatrol.media.clusters import ImageClusters
from netpatrol.media.decode import ImageError
from netpatrol.media.hashing import digests, hash_image
from netpatrol.media.matching import BankIndex, MatchResult
from netpatrol.store.banks import list_banks
from netpatrol.store.images import MIN_PDQ_QUALITY, HashedImage, clustered_images
from netpatrol.store.listings import PendingCapture
from netpatrol.store.store import Store

# Magic numbers of the image formats ``media.decode`` opens.
_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")


def is_image(capture: PendingCapture, payload: bytes) -> bool:
    content_type = (capture.content_type or "").lower()
    if content_type.startswith("image/"):
        return True
    if capture.record_type not in {"response", "resource"} or not payload:
        return False
    head = payload[:16]
    return head.startswith(_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")


class ImageScanner:
    """Hashes images, puts them in near-duplicate clusters, matches them against the
    workspace's banks (an index cached under ``index_dir``, built only when banks exist)."""

    def __init__(self, store: Store, index_dir: Path) -> None:
        self.clusters = ImageClusters(clustered_images(store))
        self.index = BankIndex(store, index_dir) if list_banks(store) else None

    def hashed(self, capture: PendingCapture, payload: bytes) -> HashedImage:
        md5, sha256 = digests(payload)
        try:
            found = hash_image(payload, capture.url or f"capture {capture.id}")
        except ImageError as exc:
            return HashedImage(capture.id, capture.url, md5, sha256, None, exc.reason, None)
        cluster = None
        if found.pdq is not None and (found.pdq_quality or 0) >= MIN_PDQ_QUALITY:
            cluster = self.clusters.assign(found.pdq)
        matches: tuple[MatchResult, ...] = ()
        if self.index is not None:
            query = {"md5": md5, "sha256": sha256}
            if cluster is not None and found.pdq is not None:
                query["pdq"] = found.pdq
            if found.phash is not None:
                query["phash"] = found.phash
            matches = tuple(self.index.match(query))
        return HashedImage(capture.id, capture.url, md5, sha256, found, None, cluster, matches)
