"""Images hashed per second on one core, beside a plain Pillow decode of the same files.

    .venv/bin/python benchmarks/image_hashing.py [--rounds 3] [--generated 40]

``hash_image`` (safe decode at <= 1024 px + PDQ + pHash + MD5/SHA-256) against the least any
hasher must do: ``Image.open(...).convert("RGB")`` at full size. Two sets, in the same run:
the PDQ reference images in ../shared (photos up to 1600 x 1004, PNGs, thumbnails) and
1024 x 768 JPEGs generated into a temporary folder (shapes, gradient, noise; quality 85).
Prints, does not assert.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from netpatrol.media.decode import decode_image
from netpatrol.media.hashing import HASH_SIDE, hash_image

VECTORS = Path(__file__).resolve().parents[2] / "shared" / "data" / "pdq-test-vectors" / "images"


def plain_decode(blobs: list[bytes]) -> None:
    for data in blobs:
        Image.open(io.BytesIO(data)).convert("RGB")


def safe_decode(blobs: list[bytes]) -> None:
    for data in blobs:
        decode_image(data, "bench", HASH_SIDE)


def full_hash(blobs: list[bytes]) -> None:
    for data in blobs:
        hash_image(data, "bench")


def generated_jpegs(folder: Path, count: int) -> list[Path]:
    rng = np.random.default_rng(0)
    paths = []
    ys, xs = np.mgrid[0:768, 0:1024]
    for number in range(count):
        ramp = (xs * rng.uniform(-1, 1) + ys * rng.uniform(-1, 1)) / 1792
        base = np.stack([ramp * 255, 128 + ramp * 100, np.full_like(ramp, 80.0)], axis=-1)
        base += rng.normal(0, 8, base.shape)
        img = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(img)
        for _ in range(20):
            x0, y0 = int(rng.integers(0, 900)), int(rng.integers(0, 650))
            box = (x0, y0, x0 + int(rng.integers(30, 300)), y0 + int(rng.integers(30, 300)))
            draw.ellipse(box, fill=tuple(int(c) for c in rng.integers(0, 256, 3)))
        path = folder / f"generated-{number:03d}.jpg"
        img.save(path, "JPEG", quality=85)
        paths.append(path)
    return paths


def best_time(function: Callable[[list[bytes]], None], blobs: list[bytes], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        function(blobs)
        best = min(best, time.perf_counter() - start)
    return best


def report(label: str, blobs: list[bytes], rounds: int) -> None:
    full_hash(blobs[:2])  # import and warm up once, as a long scan does
    megapixels = sum(np.prod(Image.open(io.BytesIO(b)).size) for b in blobs) / 1e6
    plain = len(blobs) / best_time(plain_decode, blobs, rounds)
    safe = len(blobs) / best_time(safe_decode, blobs, rounds)
    hashed = len(blobs) / best_time(full_hash, blobs, rounds)
    print(f"{label}: {len(blobs)} images, {megapixels:.1f} Mpx in all")
    print(f"  plain Pillow decode + convert('RGB') {plain:8.1f} images/s")
    print(f"  netpatrol safe decode (<= {HASH_SIDE} px)   {safe:8.1f} images/s")
    print(f"  hash_image (decode+PDQ+pHash+digests) {hashed:8.1f} images/s")
    print(f"  ratio hash_image / plain decode        {hashed / plain:8.2f}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--generated", type=int, default=40)
    args = parser.parse_args()
    print("one core, best of", args.rounds, "rounds")
    references = sorted(VECTORS.rglob("*.*")) if VECTORS.is_dir() else []
    if references:
        report("PDQ reference images", [p.read_bytes() for p in references], args.rounds)
    else:
        print(f"{VECTORS} not found: reference set skipped")
    with tempfile.TemporaryDirectory() as folder:
        paths = generated_jpegs(Path(folder), args.generated)
        report("generated 1024x768 JPEGs", [p.read_bytes() for p in paths], args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
