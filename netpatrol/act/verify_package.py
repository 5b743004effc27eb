"""``netpatrol verify PACKAGE``: is a referral package as it was written?

Checks every file's size and SHA-256 against ``manifest.json``, that no file was added,
that ``evidence.warc.gz`` parses as a whole (warcio) and that each finding's record sits at
its offset with its WARC-Record-ID and payload SHA-256. Works on a copy of the folder
anywhere (a recipient's machine): it needs neither the workspace nor the database.
"""

from __future__ import annotations

import hashlib
import json
import sys
import zlib
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from netpatrol.act.packages import EVIDENCE, FORMAT, MANIFEST, file_sha256
from netpatrol.errors import brief


def verify_package(path: Path) -> list[str]:
    """Every problem found, each naming its file; empty when the package is intact."""
    manifest_path = path / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [f"{manifest_path}: missing (is {path} a referral package?)"]
    except (OSError, ValueError) as exc:
        return [f"{manifest_path}: cannot be read: {brief(exc)}"]
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return [f"{manifest_path}: not a manifest of format {FORMAT}"]
    problems = _check_files(path, manifest.get("files") or [])
    problems += _check_records(path / EVIDENCE, manifest.get("findings") or [])
    return problems


def verify_package_command(path: Path, as_json: bool = False) -> int:
    """Print the outcome; exit code 0 when intact, 1 otherwise."""
    problems = verify_package(path)
    if as_json:
        sys.stdout.write(json.dumps({"package": str(path), "ok": not problems,
                                     "problems": problems}, indent=2) + "\n")  # fmt: skip
    elif problems:
        for problem in problems:
            sys.stderr.write(f"problem: {problem}\n")
        verdict = "not a readable package" if _unreadable(path) else "the package was altered"
        sys.stderr.write(f"{path}: {len(problems)} problems: {verdict}\n")
    else:
        sys.stdout.write(f"{path}: package intact (every file and record digest matches)\n")
    return 1 if problems else 0


def _unreadable(path: Path) -> bool:
    """No manifest to check against: the path is not a package (or lost its manifest)."""
    return not (path / MANIFEST).is_file()


def _check_files(folder: Path, files: list[dict[str, Any]]) -> list[str]:
    problems = []
    listed = {str(f.get("name")) for f in files}
    for entry in files:
        name = str(entry.get("name"))
        target = folder / name
        if "/" in name or "\\" in name or name.startswith("."):
            problems.append(f"{name}: not a file name of a package (manifest edited?)")
            continue
        if not target.is_file():
            problems.append(f"{target}: missing")
            continue
        size = target.stat().st_size
        if size != entry.get("size"):
            problems.append(f"{target}: {size} bytes, the manifest says {entry.get('size')}")
        actual = file_sha256(target)
        if actual != entry.get("sha256"):
            problems.append(
                f"{target}: SHA-256 is {actual}, the manifest says {entry.get('sha256')} "
                "(file was altered)"
            )
    for extra in sorted(folder.iterdir()):
        if extra.name != MANIFEST and extra.name not in listed:
            problems.append(f"{extra}: not listed in the manifest (added after writing)")
    return problems


def _check_records(path: Path, findings: list[dict[str, Any]]) -> list[str]:
    if not path.is_file():
        return [] if not findings else [f"{path}: missing"]
    found: dict[int, tuple[str | None, str]] = {}
    try:
        with path.open("rb") as handle:
            records = ArchiveIterator(handle, arc2warc=True, ensure_http_headers=False)
            for record in records:
                payload = record.content_stream().read()
                record_id = record.rec_headers.get_header("WARC-Record-ID")
                found[records.get_record_offset()] = (
                    str(record_id) if record_id else None,
                    hashlib.sha256(payload).hexdigest(),
                )
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as exc:
        return [f"{path}: does not parse as WARC: {brief(exc)}"]
    problems = []
    for finding in findings:
        offset = finding.get("warc_offset")
        url = finding.get("url")
        if not isinstance(offset, int) or offset not in found:
            problems.append(f"{path}: no record at byte offset {offset} (finding {url})")
            continue
        record_id, sha = found[offset]
        if finding.get("warc_record_id") and record_id != finding["warc_record_id"]:
            problems.append(
                f"{path}: record at byte offset {offset} is {record_id}, the manifest says "
                f"{finding['warc_record_id']} (finding {url})"
            )
        if sha != finding.get("payload_sha256"):
            problems.append(
                f"{path}: payload SHA-256 of the record at byte offset {offset} is {sha}, the "
                f"manifest says {finding.get('payload_sha256')} (finding {url})"
            )
    return problems
