"""Safe image decoding: hostile or broken bytes become an ``ImageError``, never a crash.

Images come from the open web, so every decoder input is untrusted:

* Only the formats web pages actually serve are opened (``FORMATS``). Pillow also knows
  EPS (which runs Ghostscript), PSD, FITS, SPIDER and a dozen other rarely used decoders;
  each one is attack surface we do not need.
* The pixel count is checked from the header before any pixel is allocated (``MAX_PIXELS``),
  and Pillow's own decompression-bomb warning is turned into an error for this call only
  (``Image.MAX_IMAGE_PIXELS`` and ``LOAD_TRUNCATED_IMAGES`` stay untouched: other code in the
  process may rely on them).
* Any exception a decoder raises is reported as ``ImageError`` naming the file: Pillow's
  plugins raise OSError, SyntaxError, struct.error, IndexError, ValueError, ... on bad input.

Size reduction (``max_side``): images are shrunk by whole factors while their longer side
stays at least ``max_side`` (so it ends below ``2 * max_side``). JPEGs are decoded straight at
1/2, 1/4 or 1/8 scale with ``Image.draft`` (the DCT does the work: by far the cheapest way to
shrink a photo); other images, or JPEGs still too large, get a box ``Image.reduce``. Nothing is
resampled to an exact size: on a 1600 x 1004 photo that resample costs more than the decode
and leaves PDQ slower overall. PDQ's reference downsamples anything larger to 512 x 512 and
pHash works on 32 x 32, so reducing to >= 1024 keeps the hashes: measured (pdqhash 0.2.8,
Pillow 13) on the PDQ reference images (<= 1600 px: untouched, bit-identical) and on 3x
enlargements of them (4300-4800 px, JPEG and PNG), at most 4 bits of PDQ from the full-size
hash and 0 of pHash, far inside the match threshold of 31 (tests/test_media_hashing.py).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from netpatrol.errors import InputError, brief

# 64 M pixels (8192 x 8192): larger than any photo a shop or ad platform serves, and small
# enough that the decoded RGB image (192 MB) and PDQ's float buffers fit a worker's memory.
# Checked on the declared size, before JPEG draft scaling could make a larger one cheap.
MAX_PIXELS = 64 * 1024 * 1024

# Formats served as web images. MPO (camera JPEGs) is read by the JPEG plugin.
FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "AVIF", "BMP", "DIB", "TIFF", "ICO")

# Transparent areas are flattened onto white: that is what a shop page shows behind a
# cut-out product photo, and what platforms do when they re-encode it as JPEG. Dropping
# the alpha channel instead would hash the arbitrary colour stored under invisible pixels.
BACKGROUND = (255, 255, 255)

_ALPHA_MODES = {"RGBA", "RGBa", "LA", "La", "PA"}
_WIDE_MODES = {"I;16", "I;16L", "I;16B", "I;16N", "I", "F"}


class ImageError(InputError):
    """An image that cannot be decoded: the message names the file or URL and why."""


@dataclass(frozen=True)
class DecodedImage:
    """An RGB image ready for hashing, with the size of the original (upright) image."""

    image: Image.Image
    width: int
    height: int


def open_image(data: bytes, name: str | Path, max_side: int | None = 1024) -> Image.Image:
    """Decode ``data`` to an upright 8-bit RGB image, reduced for hashing.

    The image shrinks by whole factors while its longer side stays >= ``max_side`` (None: full
    size). Animated images give their first frame. Raises ``ImageError`` for anything that is
    not a readable image of a supported format within ``MAX_PIXELS``.
    """
    return decode_image(data, name, max_side).image


def decode_image(data: bytes, name: str | Path, max_side: int | None = 1024) -> DecodedImage:
    """Like ``open_image``, and also report the original size (after EXIF rotation)."""
    if not data:
        raise ImageError(name, "empty file (0 bytes)")
    if max_side is not None and max_side < 1:
        raise ValueError(f"max_side must be positive, not {max_side}")
    try:
        with warnings.catch_warnings():
            # Not thread-safe (warning filters are global); workers hash in processes.
            # Plugins warn about every odd tag in a damaged file: noise, not news; the
            # outcome (an image or an ImageError) is what callers record.
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _decode(data, name, max_side)
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError(name, f"decompression bomb refused: {brief(exc)}") from exc
    except UnidentifiedImageError as exc:
        raise ImageError(name, "not an image of a supported format") from exc
    except Exception as exc:  # any decoder failure is a property of this one image
        raise ImageError(name, f"cannot decode image: {type(exc).__name__}: {brief(exc)}") from exc


def _decode(data: bytes, name: str | Path, max_side: int | None) -> DecodedImage:
    # No "with": closing would invalidate the pixels returned (BytesIO holds no descriptor).
    img = Image.open(io.BytesIO(data), formats=FORMATS)
    width, height = img.size
    if width < 1 or height < 1:
        raise ImageError(name, f"image has no pixels ({width} x {height})")
    if width * height > MAX_PIXELS:
        raise ImageError(
            name,
            f"decompression bomb refused: {width} x {height} pixels "
            f"is more than the limit of {MAX_PIXELS}",
        )
    if max_side is not None and img.format in ("JPEG", "MPO"):
        # Decodes at 1/2, 1/4 or 1/8 scale while the longer side stays >= max_side.
        img.draft("RGB", _draft_request(img.size, max_side))
    img.load()  # truncated or corrupt data fails here (LOAD_TRUNCATED_IMAGES is off)
    upright = _upright(img)
    if upright.size != img.size:  # rotated by 90 degrees or transposed
        width, height = height, width
    rgb = to_rgb(upright)
    factor = max(rgb.size) // max_side if max_side is not None else 1
    if factor >= 2:
        # Box reduction by a whole factor: a few ms where a resample to exactly max_side
        # costs more than the decode; PDQ's own Jarosz filter is a box filter too.
        rgb = rgb.reduce(factor)
    return DecodedImage(rgb, width, height)


def _draft_request(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """A draft size in the image's proportions whose longer side is ``max_side``."""
    width, height = size
    longer = max(width, height)
    return max(1, width * max_side // longer), max(1, height * max_side // longer)


def _upright(img: Image.Image) -> Image.Image:
    """The image turned as its EXIF orientation says, or as stored if the EXIF is unreadable."""
    try:
        return ImageOps.exif_transpose(img)
    except Exception:  # broken EXIF must not cost us an otherwise readable photo
        return img


def to_rgb(img: Image.Image) -> Image.Image:
    """Convert any Pillow mode to 8-bit RGB the way a viewer would show it (RGB: ``img``)."""
    mode = img.mode
    if mode == "RGB":
        return img
    if mode == "P" and "transparency" in img.info:
        img, mode = img.convert("RGBA"), "RGBA"
    if mode in _ALPHA_MODES:
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (*BACKGROUND, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if mode in _WIDE_MODES:
        return Image.fromarray(_to_8bit(np.asarray(img), mode)).convert("RGB")
    # 1, L, P, CMYK, YCbCr, LAB, HSV: Pillow's own conversions are right for these.
    return img.convert("RGB")


def _to_8bit(values: np.ndarray, mode: str) -> np.ndarray:
    """Scale 16-bit, 32-bit and float greyscale to 0..255 (Pillow's convert clips to white)."""
    data = values.astype(np.float64)
    if mode.startswith("I;16"):
        scaled = data / 257.0  # 65535 -> 255
    else:
        finite = data[np.isfinite(data)]
        low = float(finite.min()) if finite.size else 0.0
        high = float(finite.max()) if finite.size else 0.0
        if low >= 0 and high <= 255 and mode == "I":
            scaled = data  # 8-bit data stored in a 32-bit container
        elif low >= 0 and high <= 1.0:
            scaled = data * 255.0  # float images in the usual 0..1 range
        elif low >= 0 and high <= 65535:
            scaled = data / 257.0  # 16-bit PNG / TIFF samples read as mode I
        else:
            # Unknown range: stretch it; perceptual hashes ignore global contrast anyway.
            scaled = (data - low) * (255.0 / (high - low)) if high > low else data * 0
    scaled = np.nan_to_num(scaled, nan=0.0, posinf=255.0, neginf=0.0)
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)
