"""Typed exceptions; only the CLI and the web layer turn them into messages.

NetpatrolError
 ├── ConfigError          a setting has a bad value or an unknown name
 ├── WorkspaceError       no workspace where one was expected
 ├── InputError           bad input data: names the file, offset/line, field and reason
 │    └── UnknownFormatError   no importer recognises a file
 └── EvidenceError        an evidence file is missing or does not match its digest
"""

from __future__ import annotations

import os
from pathlib import Path


class NetpatrolError(Exception):
    """Base class of every error netpatrol raises on purpose."""


class ConfigError(NetpatrolError):
    """A setting is unknown or its value cannot be used."""


class WorkspaceError(NetpatrolError):
    """The workspace is missing or not initialised."""


class InputError(NetpatrolError):
    """Input that cannot be read, located as precisely as the format allows."""

    def __init__(
        self,
        path: Path | str,
        reason: str,
        *,
        offset: int | None = None,
        line: int | None = None,
        column: str | None = None,
        value: str | None = None,
    ) -> None:
        self.path = display(path)
        self.reason = reason
        self.offset = offset
        self.line = line
        self.column = column
        self.value = value
        super().__init__(self.describe())

    def describe(self) -> str:
        where = [self.path]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.offset is not None:
            where.append(f"byte offset {self.offset}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = ", ".join(where) + f": {self.reason}"
        if self.value is not None:
            text += f" (value: {self.value!r})"
        return text


class UnknownFormatError(InputError):
    """No registered importer recognises the file."""

    def __init__(self, path: Path | str, supported: list[str]) -> None:
        self.supported = supported
        super().__init__(
            path,
            "unknown format; supported formats: " + "; ".join(supported),
        )


class EvidenceError(NetpatrolError):
    """An evidence file is missing, unreadable, or does not match its recorded digest."""


def brief(exc: BaseException, limit: int = 100) -> str:
    """An exception's text, printable and short (parsers quote raw binary lines)."""
    text = "".join(ch if ch.isprintable() else "?" for ch in str(exc))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def display(path: Path | str) -> str:
    """A path as text that can be printed and stored (undecodable bytes as \\xNN)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")
