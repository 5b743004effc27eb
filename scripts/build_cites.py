"""Rebuild netpatrol/knowledge/cites/cites-checklist-2013.tsv.gz from ../shared/data.

Run by a developer (not at run time): `.venv/bin/python scripts/build_cites.py [--out PATH]`.
Source: the 2013 CITES checklist seed of UNEP-WCMC SAPI, staged in
../shared/data/cites-checklist-sapi (MANIFEST.md there; knowledge/SOURCES.md here).

Kept: accepted taxa with a CITES designation and an effective listing in Appendix I, II or III
(their own, else the nearest listed higher taxon's), with the higher-taxon exclusions of the
legislation file applied ("PSITTACIFORMES spp. except Melopsittacus undulatus, ..."), and
their common names in en, fr, es, de, it, nl, pt (joined table and raw name files merged).
Synonyms are not recoverable from the seed (see SOURCES.md): the column stays empty.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from netpatrol.knowledge.cites import (  # noqa: E402
    CHECKLIST_STATE,
    LANGS,
    SHIPPED,
    CommonNames,
    Taxon,
    appendix_of,
    display_name,
    write_checklist,
)

DATA = ROOT.parent / "shared" / "data" / "cites-checklist-sapi"
OUT = ROOT / "netpatrol" / "knowledge" / "cites" / SHIPPED
RAW_LANGS = {
    "ENG": "en",
    "FRA": "fr",
    "SPA": "es",
    "DEU": "de",
    "ITA": "it",
    "NLD": "nl",
    "POR": "pt",
}
KINGDOMS = {"Animalia": "animalia", "Plantae": "plantae"}
# PRIMATES spp. are in Appendix II, but the listing does not cover humans.
NOT_COVERED = {"Homo", "Homo sapiens"}

Key = tuple[str, str, str]  # (kingdom, RANK, rec_id): the seed numbers taxa per rank


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def split_names(cell: str, sep: str) -> list[str]:
    """Names of one cell; higher taxa list several names in one ("Amazons, Macaws")."""
    names = []
    for part in cell.split(sep):
        names += [" ".join(n.split()) for n in part.split(", ") if n.strip()]
    return names


def exclusions(data: Path) -> dict[Key, set[Key]]:
    """Taxa excluded from a current listing: listed taxon -> excluded taxa.

    A taxon whose listing is an inclusion in a higher one ("Included in FALCONIFORMES spp.")
    shares that taxon's exclusions.
    """
    out: dict[Key, set[Key]] = defaultdict(set)
    included: dict[Key, Key] = {}
    for kingdom, stem in KINGDOMS.items():
        for row in read_csv(data / "raw" / f"{stem}_legislation_utf8.csv"):
            if row["is_current"] == "1" and row["listing"] in ("I", "II", "III"):
                found = re.findall(r"([A-Za-z]+)\s*:\s*(\d+)", row["excluded_rec_ids"])
                key = (kingdom, row["rank_name"].upper(), row["rec_id"])
                out[key] |= {(kingdom, rank.upper(), rec_id) for rank, rec_id in found}
                if row["is_inclusion"] == "1" and row["included_in_RecID"]:
                    rank = row["RankforInclusions"].upper()
                    included[key] = (kingdom, rank, row["included_in_RecID"])
    for key, target in included.items():
        out[key] |= out.get(target, set())
    return out


def excluded_taxa(
    rows: list[dict[str, str]],
    by_key: dict[Key, dict[str, str]],
    parent: dict[Key, Key],
    excluded: dict[Key, set[Key]],
) -> set[Key]:
    """Taxa that inherit a listing from a higher taxon whose listing excludes them.

    The joined table gives them the higher taxon's appendix anyway. A higher taxon all of
    whose children are so excluded goes too (the genus Melopsittacus with its one species).
    """
    dropped: set[Key] = set()
    children: dict[Key, list[Key]] = defaultdict(list)
    for row in rows:
        key = (row["kingdom"], row["rank"].upper(), row["rec_id"])
        if key in parent:
            children[parent[key]].append(key)
        source = row["listing_source_taxon"]
        if not source or source == row["scientific_name"]:
            continue
        node, path = key, [key]  # walk up to the listed higher taxon
        while node in parent and len(path) < 20:
            node = parent[node]
            if by_key.get(node, {}).get("scientific_name") == source:
                break
            path.append(node)
        if excluded.get(node, set()) & set(path):
            dropped.add(key)
    changed = True
    while changed:
        changed = False
        for key, kids in children.items():
            inherited = by_key.get(key, {}).get("current_cites_listing", "x") == ""
            if inherited and key not in dropped and all(k in dropped for k in kids):
                dropped.add(key)
                changed = True
    return dropped


def build(data: Path, dest: Path) -> int:
    """Write the checklist file; returns the number of taxa."""
    rows = read_csv(data / "cites_checklist_2013_joined.csv")
    by_key = {(r["kingdom"], r["rank"].upper(), r["rec_id"]): r for r in rows}
    parent: dict[Key, Key] = {}
    for kingdom, stem in KINGDOMS.items():
        for row in read_csv(data / "raw" / f"{stem}_taxa_utf8.csv"):
            if row["ParentRecID"]:
                child = (kingdom, row["Rank"].upper(), row["RecID"])
                parent[child] = (kingdom, row["ParentRank"].upper(), row["ParentRecID"])
    names: dict[Key, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        for lang in LANGS:
            key = (row["kingdom"], row["rank"].upper(), row["rec_id"])
            names[key][lang] += split_names(row[f"common_{lang}"], " | ")
    for kingdom, stem in KINGDOMS.items():
        for row in read_csv(data / "raw" / f"{stem}_common_names_utf8.csv"):
            code = RAW_LANGS.get(row["LangShort"])
            if code:
                key = (kingdom, row["Rank"].upper(), row["RecId"])
                names[key][code] += split_names(row["ComName"], "|")
    dropped = excluded_taxa(rows, by_key, parent, exclusions(data))
    taxa: dict[tuple[str, str, str], Taxon] = {}
    for row in rows:
        key = (row["kingdom"], row["rank"].upper(), row["rec_id"])
        listing = "".join(row["effective_cites_listing"].split())
        source = row["listing_source_taxon"]
        if "CITES" not in row["designation"] or not appendix_of(listing) or key in dropped:
            continue
        if row["scientific_name"] in NOT_COVERED:
            continue
        appendix = appendix_of(listing)
        ident = (display_name(row["scientific_name"]).casefold(), row["kingdom"], row["rank"])
        known = taxa.get(ident)  # the seed has a few duplicates: merge their names
        per_lang = []
        for lang in LANGS:
            merged = [*names[key][lang], *(known.common_names.get(lang, ()) if known else ())]
            unique = {n.casefold(): n for n in reversed(merged)}
            per_lang.append((lang, tuple(sorted(unique.values(), key=str.casefold))))
        taxon = Taxon(
            scientific_name=display_name(row["scientific_name"]),
            rank=row["rank"].upper(),
            kingdom=row["kingdom"],
            klass=display_name(row["klass"]),
            order=display_name(row["order"]),
            family=display_name(row["family"]),
            appendix=appendix,
            populations_note="" if listing == appendix else listing,
            source_taxon="" if source == row["scientific_name"] else display_name(source),
        )
        if known and (known.source_taxon == "" or taxon.source_taxon != ""):
            taxon = known  # keep a taxon's own listing over an inherited one
        taxa[ident] = replace(taxon, common_names=CommonNames(per_lang))
    dest.parent.mkdir(parents=True, exist_ok=True)
    write_checklist(taxa.values(), dest, CHECKLIST_STATE)
    return len(taxa)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DATA, help="the cites-checklist-sapi folder")
    parser.add_argument("--out", type=Path, default=OUT, help="the .tsv.gz file to write")
    args = parser.parse_args(argv)
    count = build(args.data, args.out)
    print(f"{args.out}: {count} taxa, {args.out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
