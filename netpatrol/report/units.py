"""How report figures read (shared by the HTML report and the command line)."""

from __future__ import annotations

import math


def format_hours(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    if value < 1:  # a takedown within the hour reads "0.0 h" otherwise
        return f"{value * 60:.0f} min"
    if value < 72:
        return f"{value:,.1f} h"
    return f"{value / 24:,.1f} days"
