"""Input and output helpers shared by the command modules."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from netpatrol.errors import NetpatrolError


@contextmanager
def open_input(source: str) -> Iterator[TextIO]:
    """A JSONL file by path, or standard input for "-"."""
    if source == "-":
        yield sys.stdin
        return
    try:
        handle = open(source, encoding="utf-8", errors="strict")  # noqa: SIM115
    except OSError as exc:
        raise NetpatrolError(f"{source}: {exc.strerror}") from None
    with handle:
        yield handle


def emit_json(data: Any) -> None:
    """``--json`` output: indented, UTF-8 as is, dates and paths as strings."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
