"""``hashes compute / import / export / banks / match`` through the CLI, with benign
images the tests draw and banks the tests make."""

from __future__ import annotations

import io
import json
from pathlib import Path

from conftest import CliRunner
from PIL import Image, ImageDraw


def _image(path: Path, seed: int, size: tuple[int, int] = (400, 300)) -> Path:
    """A textured synthetic picture (PDQ needs texture: flat drawings score low quality)."""
    red = Image.linear_gradient("L").rotate(seed * 37).resize(size)
    green = Image.radial_gradient("L").resize(size)
    blue = Image.effect_noise(size, 40 + seed)
    image = Image.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(image)
    for i in range(8):
        x, y = (seed * 53 + i * 47) % size[0], (seed * 31 + i * 29) % size[1]
        draw.ellipse([x, y, x + 70, y + 50], fill=((i * 30) % 255, 255 - i * 25, seed * 17 % 255))
    image.save(path, "JPEG", quality=92)
    return path


def _reencoded(source: Path, target: Path) -> Path:
    Image.open(source).resize((300, 225)).save(target, "JPEG", quality=55)
    return target


def _pdq(cli: CliRunner, path: Path) -> str:
    return str(json.loads(cli("hashes", "compute", path).out)["pdq"])


def test_compute_prints_every_hash_and_names_a_broken_image(cli: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "imgs"
    folder.mkdir()
    _image(folder / "a.jpg", 1)
    (folder / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    (folder / "notes.txt").write_text("not an image")
    result = cli("hashes", "compute", folder)
    assert result.code == 1
    lines = [json.loads(x) for x in result.out.splitlines()]
    assert [Path(x["path"]).name for x in lines] == ["a.jpg", "b.png"]  # .txt skipped in a folder
    good, broken = lines
    assert len(good["pdq"]) == 64 and len(good["phash"]) == 16 and len(good["md5"]) == 32
    assert 0 <= good["pdq_quality"] <= 100
    assert broken["pdq"] is None and len(broken["sha256"]) == 64
    assert "b.png" in result.err


def test_import_reports_bad_lines_keeps_the_rest_and_is_idempotent(
    cli: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    pdq = _pdq(cli, _image(tmp_path / "a.jpg", 1))
    bank = tmp_path / "bank.txt"
    bank.write_text(f"# a test bank\n{pdq}\nnot-a-hash\n{'0' * 63}\n", "utf-8")
    first = cli("-w", workspace, "hashes", "import", "demo", bank)
    assert first.code == 1
    assert "1 hashes added" in first.out and "2 bad lines" in first.out
    assert "line 3" in first.err and "line 4" in first.err
    again = cli("-w", workspace, "hashes", "import", "demo", bank)
    assert "0 hashes added, 1 already there" in again.out
    wrong_kind = cli("-w", workspace, "hashes", "import", "demo", bank, "--kind", "md5")
    assert wrong_kind.code == 1 and "demo" in wrong_kind.err


def test_export_reads_back_to_the_same_bank(
    cli: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    pdqs = [_pdq(cli, _image(tmp_path / f"{i}.jpg", i)) for i in range(1, 4)]
    source = tmp_path / "labelled.csv"
    source.write_text(
        "hash,label\n" + "".join(f"{p},item {i}\n" for i, p in enumerate(pdqs)), "utf-8"
    )
    assert cli("-w", workspace, "hashes", "import", "catalogue", source).code == 0
    exported = cli("-w", workspace, "hashes", "export", "catalogue").out
    again = tmp_path / "again.csv"
    again.write_text(exported, "utf-8")
    assert "3 hashes added" in cli("-w", workspace, "hashes", "import", "copy", again).out
    assert cli("-w", workspace, "hashes", "export", "copy").out == exported
    listing = cli("-w", workspace, "hashes", "banks").out
    assert "catalogue\tpdq\t3 hashes\tthreshold 31" in listing


def test_match_finds_near_duplicates_and_negative_banks_suppress(
    cli: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    original = _image(tmp_path / "orig.jpg", 5)
    copy = _reencoded(original, tmp_path / "copy.jpg")
    unrelated = _image(tmp_path / "other.jpg", 11)
    bank = tmp_path / "bank.txt"
    bank.write_text(_pdq(cli, original) + "\n", "utf-8")
    assert cli("-w", workspace, "hashes", "import", "watch", bank, "--sensitive").code == 0
    result = cli("-w", workspace, "hashes", "match", copy, unrelated)
    assert result.code == 0, result.err
    (hit,) = [json.loads(x) for x in result.out.splitlines()]
    assert Path(hit["path"]).name == "copy.jpg"
    assert hit["bank"] == "watch" and hit["kind"] == "pdq" and 0 <= hit["distance"] <= 31
    assert hit["quarantined"] is True
    # The image is only read: nothing of it lands in the workspace.
    data = copy.read_bytes()
    assert not any(data[:4096] in p.read_bytes() for p in workspace.rglob("*") if p.is_file())
    # The same photo listed as a known false positive (a stock photo) hides the match.
    assert cli("-w", workspace, "hashes", "import", "stock", bank, "--negative").code == 0
    assert cli("-w", workspace, "hashes", "match", copy).out == ""


def test_exact_kinds_match_byte_for_byte(cli: CliRunner, workspace: Path, tmp_path: Path) -> None:
    image = _image(tmp_path / "a.jpg", 2)
    md5 = json.loads(cli("hashes", "compute", image).out)["md5"]
    bank = tmp_path / "md5.txt"
    bank.write_text(md5.upper() + "\n", "utf-8")  # hex case does not matter
    assert cli("-w", workspace, "hashes", "import", "exact", bank, "--kind", "md5").code == 0
    (hit,) = [
        json.loads(x) for x in cli("-w", workspace, "hashes", "match", image).out.splitlines()
    ]
    assert hit["kind"] == "md5" and hit["distance"] == 0
    out = io.BytesIO()
    Image.open(image).save(out, "JPEG", quality=70)  # other bytes, same picture
    other = tmp_path / "b.jpg"
    other.write_bytes(out.getvalue())
    assert cli("-w", workspace, "hashes", "match", other).out == ""
