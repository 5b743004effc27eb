"""Input and output helpers shared by the command modules."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from netpatrol.errors import NetpatrolError


@contextmanager
def open_input(source: str) -> Iterator[TextIO]:
    """A JSONL file by path, or standard input for "-", read as UTF-8. Bytes that are not
    UTF-8 are kept as surrogate escapes, so that the reader can name the line that holds
    them and go on with the others (``extract.jsonl.input_objects``)."""
    if source == "-":
        if isinstance(sys.stdin, io.TextIOWrapper):
            sys.stdin.reconfigure(encoding="utf-8", errors="surrogateescape")
        yield sys.stdin
        return
    try:
        handle = open(source, encoding="utf-8", errors="surrogateescape")  # noqa: SIM115
    except OSError as exc:
        raise NetpatrolError(f"{source}: {exc.strerror}") from None
    with handle:
        yield handle


def emit_json(data: Any) -> None:
    """``--json`` output: indented, UTF-8 as is, dates and paths as strings."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
