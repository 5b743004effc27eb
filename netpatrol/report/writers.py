"""Report writers, chosen by the output file's suffix (``report.stix.json`` -> STIX).

Writers are named by dotted path and imported when asked for, so this registry works
(and lists every format) whether or not each writer's dependencies import.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Protocol, runtime_checkable

from netpatrol.errors import NetpatrolError
from netpatrol.report.data import ReportData

WRITERS: dict[str, str] = {
    ".html": "netpatrol.report.html:HtmlWriter",
    ".csv": "netpatrol.report.tabular:CsvWriter",
    ".json": "netpatrol.report.tabular:JsonWriter",
    ".stix.json": "netpatrol.report.stix:StixWriter",
    ".misp.json": "netpatrol.report.misp:MispWriter",
}


@runtime_checkable
class ReportWriter(Protocol):
    """Writes one format; ``write`` returns warnings (what the format could not express)."""

    suffix: str

    def write(self, data: ReportData, path: Path) -> list[str]: ...


class ReportFormatError(NetpatrolError):
    """No writer for a file name, or its writer cannot be loaded."""


def suffixes() -> list[str]:
    return sorted(WRITERS)


def writer_for(path: Path | str) -> ReportWriter:
    """The writer of the longest registered suffix ``path`` ends with (case-insensitive)."""
    name = Path(path).name.lower()
    matching = [suffix for suffix in WRITERS if name.endswith(suffix) and name != suffix]
    if not matching:
        raise ReportFormatError(
            f"{path}: no report format for this file name; accepted suffixes: "
            + ", ".join(suffixes())
        )
    suffix = max(matching, key=len)
    target = WRITERS[suffix]
    module_name, _, class_name = target.partition(":")
    try:
        writer_class = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise ReportFormatError(
            f"{path}: the {suffix} writer ({module_name}.{class_name}) is not available: {exc}"
        ) from None
    writer = writer_class()
    if not isinstance(writer, ReportWriter):
        raise ReportFormatError(f"{module_name}.{class_name} is not a report writer")
    return writer
