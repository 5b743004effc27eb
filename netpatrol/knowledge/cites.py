"""The CITES checklist: which taxa are listed in which appendix, under which names.

Shipped: ``knowledge/cites/cites-checklist-2013.tsv.gz``, built by ``scripts/build_cites.py``
from the 2013 UNEP-WCMC SAPI seed (``knowledge/SOURCES.md``). A current Species+ "CITES
listings" CSV export replaces it: ``import_cites(export, dest)``, then ``load_cites(dest)``.

File format: gzip, UTF-8, tab-separated; a first line ``#state<TAB>sentence``, a header line,
then one taxon per line, multi-valued fields joined by ``|``.

Appendix convention: ``Taxon.appendix`` is "I", "II" or "III", or for a split listing the
appendices joined by "/" in the order I, II, III ("I/II": some populations in I, others in
II). ``populations_note`` keeps the raw listing whenever it says more than that: population
splits ("I;II[pop:BW,NA,ZA,ZW]": Appendix I except the populations of BW, NA, ZA and ZW, in
II), listings of some populations only ("II[pop:MG]"), Appendix III parties ("III(IN)"); it
is empty otherwise.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from netpatrol.errors import InputError

CHECKLIST_STATE = (
    "CITES appendices as of the 2013 checklist (UNEP-WCMC SAPI seed, Sept 2013); "
    "check Species+ for the current listing"
)
SHIPPED = "cites-checklist-2013.tsv.gz"
LANGS = ("en", "fr", "es", "de", "it", "nl", "pt")
COLUMNS = (
    *("scientific_name", "rank", "kingdom", "class", "order", "family", "appendix"),
    *("populations_note", "source_taxon", "synonyms"),
    *(f"common_{lang}" for lang in LANGS),
)

# Single words that are names of listed taxa (common or scientific) but also ordinary words,
# brands or product names in the languages patrolled: as lexicon terms alone they would flood
# matches ("python" developer jobs, "Jaguar"/"Puma" cars and shoes, "coral" colour, "Lynx"
# deodorant, "aloe vera" creams, "sable" brushes). Kept as names, but flagged ambiguous so a
# matcher asks for context (a second cue, a price, a trade word) before it counts them.
SHORT_NAME = 4
# fmt: off
AMBIGUOUS_WORDS = frozenset({
    "aal", "ada", "agar", "araucana", "chinchilla", "muscovy", "rosewood",
    "aloe", "amazona", "amazonas", "amazones", "amazons", "apes",
    "apollo", "ara", "aras", "bears", "boa", "boas", "brasil", "bunch", "cacti", "cactus",
    "calypso", "canal", "cats", "cedar", "cedro", "chagrin", "circus", "civetta", "cobra",
    "coffre", "colibri", "condor", "corail", "coral", "cougar", "crane", "cranes", "cristóbal",
    "cuco", "cóndor", "dante", "dara", "diana", "dick", "disa", "doek", "dolphins", "dracula",
    "drill", "eagles", "ebony", "eel", "electra", "elvira", "eos", "falcons", "faucons",
    "flamants", "flamenco", "flamingo", "flamingos", "frade", "galago", "gems", "ginseng",
    "godoy", "gorilla", "gorille", "grifo", "gru", "grues", "hausen", "hawks", "hobby",
    "iguana", "indri", "jaguar", "jako", "kaka", "leeuw", "lemur", "leopard", "leopardo",
    "lingo", "lion", "lobo", "loris", "los", "loup", "luchs", "lupo", "lynx", "léopard",
    "macaws", "magot", "mahogany", "manco", "mango", "manta", "mara", "marta", "merlin", "mila",
    "mink", "miti", "monkeys", "morsa", "morse", "napoleon", "napoleón", "napoléon", "once",
    "orca", "orchids", "orchidées", "otter", "ounce", "ours", "owls", "paling", "pan", "panda",
    "pantera", "panther", "panthère", "parrots", "patas", "peregrino", "perezoso", "perroquets",
    "pine", "pino", "pintado", "piro", "plana", "primates", "puma", "python", "pythons",
    "sable", "sacro", "sang", "sappho", "sardo", "sauvegarde", "schip", "scie", "secretario",
    "serra", "ship", "souffleur", "steno", "stent", "strauss", "tiger", "tigre", "tijger",
    "topaza", "trappen", "tuna", "uhu", "urso", "vainilla", "vanda", "vanilla", "vari", "vera",
    "vini", "whales", "wolf"
})
# fmt: on

_LISTING_PART = re.compile(r"(III|II|I)(?:\(([A-Z]{2})\))?(?:\[pop:[A-Z, ]+\])?")
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_TAG = re.compile(r"<[^>]*>")


class CommonNames(Mapping[str, tuple[str, ...]]):
    """Language code -> names; read-only and hashable, so a frozen Taxon stays hashable."""

    __slots__ = ("_pairs",)

    def __init__(self, pairs: Iterable[tuple[str, tuple[str, ...]]] = ()) -> None:
        self._pairs = tuple((lang, names) for lang, names in pairs if names)

    def __getitem__(self, lang: str) -> tuple[str, ...]:
        for key, names in self._pairs:
            if key == lang:
                return names
        raise KeyError(lang)

    def __iter__(self) -> Iterator[str]:
        return (lang for lang, _ in self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)

    def __hash__(self) -> int:
        return hash(self._pairs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    def __repr__(self) -> str:
        return f"CommonNames({dict(self._pairs)!r})"


_NO_NAMES = CommonNames()


@dataclass(frozen=True, slots=True)
class Taxon:
    """A CITES-listed taxon (species, subspecies, variety, genus, family or order)."""

    scientific_name: str
    rank: str  # SPECIES, SUBSPECIES, VARIETY, GENUS, FAMILY, ORDER, as Species+ writes them
    kingdom: str
    klass: str
    order: str
    family: str
    appendix: str  # "I", "II", "III" or a split such as "I/II" (see the module docstring)
    populations_note: str = ""
    source_taxon: str = ""  # the higher taxon whose listing this one inherits; "" if its own
    synonyms: tuple[str, ...] = ()
    common_names: CommonNames = _NO_NAMES


class CitesName(NamedTuple):
    """One lexicon term: a name, its language ('la' for scientific names) and its taxon."""

    name: str
    lang: str
    taxon: Taxon
    ambiguous: bool  # a single word that is also an ordinary word or brand (AMBIGUOUS_WORDS)


class CitesChecklist:
    """The listed taxa of one checklist file, with ``state``: which listing it reflects."""

    def __init__(self, taxa: Iterable[Taxon], state: str = CHECKLIST_STATE) -> None:
        self.taxa = tuple(taxa)
        self.state = state
        self._index: dict[str, list[Taxon]] = {}
        for taxon in self.taxa:
            for name in (taxon.scientific_name, *taxon.synonyms):
                found = self._index.setdefault(name.casefold(), [])
                if taxon not in found:
                    found.append(taxon)

    def __len__(self) -> int:
        return len(self.taxa)

    def by_name(self, name: str) -> Taxon | None:
        """The taxon with this scientific name or synonym (any case); accepted names first."""
        found = self.all_by_name(name)
        return found[0] if found else None

    def all_by_name(self, name: str) -> tuple[Taxon, ...]:
        """Every taxon with this scientific name or synonym (homonyms across kingdoms)."""
        found = self._index.get(" ".join(name.split()).casefold(), [])
        return tuple(sorted(found, key=lambda t: t.scientific_name.casefold() != name.casefold()))

    def names(self) -> Iterator[CitesName]:
        """Every name of every taxon, for a lexicon; names under 3 characters are left out."""
        for taxon in self.taxa:
            seen: set[tuple[str, str]] = set()
            pairs = [(n, "la") for n in (taxon.scientific_name, *taxon.synonyms)]
            pairs += [(n, lang) for lang, names in taxon.common_names.items() for n in names]
            for name, lang in pairs:
                key = name.casefold()
                if len(name) < 3 or (key, lang) in seen:
                    continue
                seen.add((key, lang))
                single = " " not in name
                # Short one-word names ("Vari", "Ara") are also syllables and abbreviations.
                yield CitesName(
                    name, lang, taxon, single and (key in AMBIGUOUS_WORDS or len(key) <= SHORT_NAME)
                )


def appendix_of(listing: str) -> str:
    """The appendix short form of a listing string: "I;II[pop:BW]" -> "I/II"; "" if none."""
    found = {m.group(1) for m in _LISTING_PART.finditer(listing)}
    return "/".join(a for a in ("I", "II", "III") if a in found)


def display_name(name: str) -> str:
    """A taxon name as printed: "PSITTACIFORMES" -> "Psittaciformes"; others unchanged."""
    name = " ".join(name.split())
    return name.capitalize() if name.isupper() and " " not in name else name


def _field(value: str) -> str:
    return " ".join(value.replace("|", "/").split())


def write_checklist(taxa: Iterable[Taxon], dest: Path, state: str) -> None:
    """Write ``taxa`` to ``dest`` in the shipped format: sorted, gzip with mtime 0."""
    out = io.StringIO()
    out.write(f"#state\t{_field(state)}\n" + "\t".join(COLUMNS) + "\n")
    for t in sorted(taxa, key=_sort_key):
        multi = [t.synonyms, *(t.common_names.get(lang, ()) for lang in LANGS)]
        cells = [t.scientific_name, t.rank, t.kingdom, t.klass, t.order, t.family, t.appendix]
        cells += [t.populations_note, t.source_taxon]
        cells = [_field(c) for c in cells] + ["|".join(map(_field, v)) for v in multi]
        out.write("\t".join(cells) + "\n")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(out.getvalue().encode("utf-8"))
    temp = dest.with_name(dest.name + ".tmp")
    temp.write_bytes(buffer.getvalue())
    os.replace(temp, dest)


def _sort_key(taxon: Taxon) -> tuple[str, str, str]:
    return taxon.scientific_name.casefold(), taxon.kingdom, taxon.rank


def parse_checklist(text: str, source: str, state: str | None = None) -> CitesChecklist:
    """A checklist from the text of a file in the shipped format."""
    lines = text.split("\n")
    first = 1
    if lines and lines[0].startswith("#state\t"):
        state, first = state or lines[0].partition("\t")[2], 2
        del lines[0]
    if not lines or tuple(lines[0].split("\t")) != COLUMNS:
        reason = "not a netpatrol CITES checklist; expected the header " + " ".join(COLUMNS)
        raise InputError(source, reason, line=first)
    taxa = []
    for number, line in enumerate(lines[1:], start=first + 1):
        if not line:
            continue
        cells = line.split("\t")
        if len(cells) != len(COLUMNS):
            raise InputError(source, f"expected {len(COLUMNS)} tab-separated fields", line=number)
        name, rank, kingdom, klass, order, family, appendix, note, under = cells[:9]
        lists = [tuple(c.split("|")) if c else () for c in cells[9:]]
        names = CommonNames(zip(LANGS, lists[1:], strict=True)) if any(lists[1:]) else _NO_NAMES
        taxa.append(
            Taxon(name, rank, kingdom, klass, order, family, appendix, note, under, lists[0], names)
        )
    state = state or f"CITES appendices from {source}; check Species+ for the current listing"
    return CitesChecklist(taxa, state)


@lru_cache(maxsize=1)
def _shipped() -> CitesChecklist:
    data = resources.files("netpatrol.knowledge").joinpath("cites", SHIPPED).read_bytes()
    text = gzip.decompress(data).decode("utf-8")
    return parse_checklist(text, f"netpatrol/knowledge/cites/{SHIPPED}", CHECKLIST_STATE)


def load_cites(path: Path | None = None) -> CitesChecklist:
    """The checklist in ``path`` (shipped format), or the shipped 2013 one (cached)."""
    if path is None:
        return _shipped()
    try:
        data = path.read_bytes()
        text = (gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data).decode("utf-8")
    except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read CITES checklist: {exc}") from exc
    return parse_checklist(text, str(path))


def _rows(reader: Iterator[list[str]], source: Path) -> Iterator[list[str]]:
    try:
        yield from reader
    except csv.Error as exc:
        raise InputError(source, f"bad CSV: {exc}", line=getattr(reader, "line_num", None)) from exc


REQUIRED = ("Kingdom", "Class", "Order", "Family", "Scientific Name", "Rank", "Listing")
OPTIONAL = ("Party", "Listed under", "Full note")
LISTING_TOKENS = ("I", "II", "III", "NC")


def import_cites(
    source: Path, dest: Path, *, names_from: CitesChecklist | None = None
) -> CitesChecklist:
    """Convert a Species+ "CITES listings" CSV export into the shipped format at ``dest``.

    Rows without a listing (empty or "NC" only) are left out. The export has no common names
    or synonyms: they are taken from ``names_from`` (default: the shipped 2013 checklist) for
    taxa with the same scientific name. Nothing is written when the export is invalid.
    """
    try:
        text = source.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(source, f"cannot read Species+ export: {exc}") from exc
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header = [h.strip().casefold() for h in next(reader, [])]
    if not any(header):
        raise InputError(source, "empty file; expected a Species+ CITES listings CSV export")
    where: dict[str, int] = {}
    for column in REQUIRED + OPTIONAL:
        if column.casefold() in header:
            where[column] = header.index(column.casefold())
        elif column in REQUIRED:
            expected = ", ".join(REQUIRED)
            reason = f"missing column {column!r}; a Species+ CITES listings export has {expected}"
            raise InputError(source, reason, line=1, column=column)
    names = names_from if names_from is not None else load_cites()
    taxa: dict[tuple[str, str], Taxon] = {}
    line = 1
    for row in _rows(reader, source):
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue

        def cell(column: str, row: list[str] = row) -> str:
            index = where.get(column)
            return " ".join(row[index].split()) if index is not None and index < len(row) else ""

        name, listing = display_name(cell("Scientific Name")), cell("Listing")
        if not name:
            raise InputError(source, "empty scientific name", line=start, column="Scientific Name")
        tokens = [token.strip() for token in listing.split("/")] if listing else []
        if any(token not in LISTING_TOKENS for token in tokens):
            reason = "unknown CITES listing; expected I, II, III or NC, or several joined by '/'"
            raise InputError(source, reason, line=start, column="Listing", value=listing)
        appendix = "/".join(a for a in ("I", "II", "III") if a in tokens)
        if not appendix or (cell("Kingdom"), name.casefold()) in taxa:
            continue
        note = listing if listing.replace(" ", "") != appendix else ""
        if cell("Party"):
            note = f"{note or appendix}({cell('Party')})"
        if "/" in appendix and cell("Full note"):
            note = f"{note or listing}: {' '.join(_TAG.sub('', cell('Full note')).split())}"[:400]
        under = display_name(re.sub(r"\s+spp\.?$", "", cell("Listed under")))
        known = next((t for t in names.all_by_name(name) if t.kingdom == cell("Kingdom")), None)
        taxa[cell("Kingdom"), name.casefold()] = Taxon(
            name,
            cell("Rank").upper(),
            cell("Kingdom"),
            display_name(cell("Class")),
            display_name(cell("Order")),
            display_name(cell("Family")),
            appendix,
            note,
            "" if under.casefold() in ("", name.casefold()) else under,
            known.synonyms if known else (),
            known.common_names if known else _NO_NAMES,
        )
    if not taxa:
        raise InputError(source, "no listed taxon (Listing I, II or III) in the export")
    found = _DATE.search(source.name)
    mtime = datetime.fromtimestamp(source.stat().st_mtime, UTC)
    day = found.group(1) if found else mtime.date().isoformat()
    state = f"CITES appendices from the Species+ export {source.name} of {day}"
    state += "; check Species+ for the current listing"
    write_checklist(taxa.values(), dest, state)
    return CitesChecklist(sorted(taxa.values(), key=_sort_key), state)
