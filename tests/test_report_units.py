"""How report figures read."""

from __future__ import annotations

import pytest

from netpatrol.report.units import format_hours


@pytest.mark.parametrize(
    ("hours", "reads"),
    [(None, "n/a"), (float("nan"), "n/a"), (0.004, "0 min"), (0.5, "30 min"), (1.0, "1.0 h"),
     (48.0, "48.0 h"), (100.0, "4.2 days")],
)  # fmt: skip
def test_takedown_times_read_in_minutes_hours_or_days(hours: float | None, reads: str) -> None:
    assert format_hours(hours) == reads
