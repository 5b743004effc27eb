"""The shipped CITES checklist, its loader, the Species+ import and the build script."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SHARED_DATA

from netpatrol.errors import InputError
from netpatrol.knowledge.cites import (
    CHECKLIST_STATE,
    COLUMNS,
    SHIPPED,
    CitesChecklist,
    CommonNames,
    Taxon,
    appendix_of,
    import_cites,
    load_cites,
    write_checklist,
)

ROOT = Path(__file__).resolve().parents[1]
SAPI = SHARED_DATA / "cites-checklist-sapi"
HEADER = (
    "Id,Kingdom,Phylum,Class,Order,Family,Genus,Species,Subspecies,Scientific Name,Author,"
    "Rank,Listing,Party,Listed under,Full note,# Full note\n"
)


@pytest.fixture(scope="module")
def shipped() -> CitesChecklist:
    return load_cites()


def test_shipped_file_loads_fast_and_states_its_date() -> None:
    start = time.perf_counter()
    checklist = load_cites(ROOT / "netpatrol" / "knowledge" / "cites" / SHIPPED)
    assert time.perf_counter() - start < 1.0  # 0.15 s measured; generous for slow CI
    assert len(checklist) > 20_000
    assert checklist.state == CHECKLIST_STATE
    assert "2013" in CHECKLIST_STATE and "Species+" in CHECKLIST_STATE
    assert load_cites() is load_cites()


def test_population_split(shipped: CitesChecklist) -> None:
    elephant = shipped.by_name("loxodonta AFRICANA")
    assert elephant is not None
    assert elephant.appendix == "I/II"
    assert elephant.populations_note == "I;II[pop:BW,NA,ZA,ZW]"
    assert (elephant.rank, elephant.klass, elephant.family) == (
        "SPECIES",
        "Mammalia",
        "Elephantidae",
    )
    assert elephant.source_taxon == ""
    assert "Eléphant d'Afrique" in elephant.common_names["fr"]
    assert "Afrikanischer Elefant" in elephant.common_names["de"]


def test_inherited_listing(shipped: CitesChecklist) -> None:
    parrot = shipped.by_name("Psittacus erithacus")
    assert parrot is not None
    assert parrot.appendix == "II"
    assert parrot.source_taxon.casefold() == "psittaciformes"
    assert "Graupapagei" in parrot.common_names["de"]
    assert "Perroquet gris" in parrot.common_names["fr"]
    family = shipped.by_name("PSITTACIDAE")
    assert family is not None and family.rank == "FAMILY" and family.appendix == "II"
    assert "Parrots" in family.common_names["en"]  # "Amazons, Macaws, ..." split into names


def test_higher_taxon_exclusions_applied(shipped: CitesChecklist) -> None:
    # PSITTACIFORMES spp. II excludes the budgerigar and the cockatiel (legislation file).
    assert shipped.by_name("Melopsittacus undulatus") is None
    assert shipped.by_name("Nymphicus hollandicus") is None
    assert shipped.by_name("Homo") is None
    assert shipped.by_name("Pan troglodytes") is not None


def test_plant_and_unlisted(shipped: CitesChecklist) -> None:
    sandalwood = shipped.by_name("Pterocarpus santalinus")
    assert sandalwood is not None and sandalwood.appendix == "II"
    assert sandalwood.kingdom == "Plantae"
    assert "Red Sandalwood" in sandalwood.common_names["en"]
    assert shipped.by_name("Felis catus") is None
    assert shipped.by_name("") is None


def test_taxa_are_hashable_and_frozen(shipped: CitesChecklist) -> None:
    assert len(set(shipped.taxa)) == len(shipped.taxa)
    with pytest.raises(AttributeError):
        shipped.taxa[0].appendix = "I"  # type: ignore[misc]


def test_names_for_a_lexicon(shipped: CitesChecklist) -> None:
    names = list(shipped.names())
    assert all(len(entry.name) >= 3 for entry in names)
    assert {entry.lang for entry in names} == {"la", "en", "fr", "es", "de", "it", "nl", "pt"}
    pythons = [e for e in names if e.name.casefold() == "python"]
    assert pythons and all(e.ambiguous for e in pythons)
    assert any(e.lang == "la" and e.taxon.rank == "GENUS" for e in pythons)
    grey = [e for e in names if e.name == "Grey Parrot"]
    assert len(grey) == 1 and grey[0].lang == "en" and not grey[0].ambiguous
    jaguar = [e for e in names if e.name.casefold() == "jaguar"]
    assert jaguar and all(
        e.ambiguous and e.taxon.scientific_name == "Panthera onca" for e in jaguar
    )


def test_synonyms_are_found_by_name(tmp_path: Path) -> None:
    # The 2013 seed has no usable synonyms (SOURCES.md); files that have them are searched.
    ranks = ("Animalia", "Mammalia", "Pholidota", "Manidae")
    taxon = Taxon(
        "Manis pentadactyla",
        "SPECIES",
        *ranks,
        "I",
        synonyms=("Manis auritus",),
        common_names=CommonNames([("en", ("Chinese Pangolin",))]),
    )
    path = tmp_path / "list.tsv.gz"
    write_checklist([taxon], path, "test listing of 2024-01-01")
    checklist = load_cites(path)
    assert checklist.state == "test listing of 2024-01-01"
    assert checklist.by_name("manis AURITUS") == taxon
    assert ("Manis auritus", "la") in {(e.name, e.lang) for e in checklist.names()}


def test_appendix_short_form() -> None:
    assert appendix_of("II;I[pop:AF,BT,IN]") == "I/II"
    assert appendix_of("III(DZ);III(TN)") == "III"
    assert appendix_of("III(PA)[pop:PA];II[pop:MG]") == "II/III"
    assert appendix_of("") == ""


def _export(tmp_path: Path, rows: str, header: str = HEADER, name: str = "x.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + rows, encoding="utf-8")
    return path


def test_import_species_plus_export(tmp_path: Path) -> None:
    rows = (
        "4521,Animalia,Chordata,Mammalia,Proboscidea,Elephantidae,Loxodonta,africana,,"
        'Loxodonta africana,"(Blumenbach, 1797)",SPECIES,I/II,,Loxodonta africana,'
        '"Populations of <i>BW</i>, NA, ZA and ZW in Appendix II.",\n'
        "9644,Animalia,Chordata,Aves,PSITTACIFORMES,Psittacidae,Psittacus,erithacus,,"
        'Psittacus erithacus,"Linnaeus, 1758",SPECIES,I,,Psittacus erithacus,,\n'
        "3000,Animalia,Chordata,Aves,PSITTACIFORMES,Psittacidae,Amazona,,,Amazona,,GENUS,II,,"
        "Psittaciformes spp.,,\n"
        "12,Animalia,Chordata,Mammalia,Carnivora,Viverridae,Paradoxurus,hermaphroditus,,"
        "Paradoxurus hermaphroditus,,SPECIES,III,IN,Paradoxurus hermaphroditus,,\n"
        "13,Animalia,Chordata,Mammalia,Carnivora,Canidae,Canis,familiaris,,Canis familiaris,,"
        "SPECIES,NC,,,,\n"
        "\n"
    )
    source = _export(tmp_path, rows, name="cites_listings_2024-05-07.csv")
    dest = tmp_path / "current.tsv.gz"
    checklist = import_cites(source, dest)
    assert "2024-05-07" in checklist.state and "Species+" in checklist.state
    assert [t.scientific_name for t in checklist.taxa] == [
        "Amazona", "Loxodonta africana", "Paradoxurus hermaphroditus", "Psittacus erithacus",
    ]  # fmt: skip
    loaded = load_cites(dest)
    assert loaded.taxa == checklist.taxa and loaded.state == checklist.state
    elephant = loaded.by_name("Loxodonta africana")
    assert elephant is not None and elephant.appendix == "I/II"
    assert elephant.populations_note.startswith("I/II: Populations of BW, NA")
    parrot = loaded.by_name("Psittacus erithacus")
    assert parrot is not None and parrot.appendix == "I" and parrot.order == "Psittaciformes"
    assert "Graupapagei" in parrot.common_names["de"]  # names kept from the 2013 checklist
    amazona = loaded.by_name("amazona")
    assert amazona is not None and amazona.source_taxon == "Psittaciformes"
    civet = loaded.by_name("Paradoxurus hermaphroditus")
    assert civet is not None and (civet.appendix, civet.populations_note) == ("III", "III(IN)")


def test_import_semicolon_export_dated_by_mtime(tmp_path: Path) -> None:
    header = HEADER.replace(",", ";")
    row = "1;Plantae;;;Fabales;Leguminosae;Pterocarpus;santalinus;;Pterocarpus santalinus;;"
    source = _export(tmp_path, row + "SPECIES;II;;;;;\n", header=header)
    os.utime(source, (1_700_000_000, 1_700_000_000))
    checklist = import_cites(source, tmp_path / "out.tsv.gz", names_from=CitesChecklist([]))
    assert "2023-11-14" in checklist.state
    assert checklist.taxa[0].appendix == "II" and not checklist.taxa[0].common_names


def test_import_missing_column(tmp_path: Path) -> None:
    source = _export(tmp_path, "1,Animalia,x\n", header="Id,Kingdom,Scientific Name\n")
    dest = tmp_path / "out.tsv.gz"
    with pytest.raises(InputError) as caught:
        import_cites(source, dest)
    assert caught.value.column == "Class" and "'Class'" in str(caught.value)
    assert caught.value.line == 1
    assert not dest.exists()


def test_import_unknown_listing(tmp_path: Path) -> None:
    ok = "1,Animalia,,Aves,Falconiformes,Falconidae,Falco,,,Falco,,GENUS,II,,,,\n"
    bad = "2,Animalia,,Aves,Falconiformes,Falconidae,Falco,,,Falco rusticolus,,SPECIES,IV,,,,\n"
    source = _export(tmp_path, ok + bad)
    dest = tmp_path / "out.tsv.gz"
    dest.write_bytes(b"previous")
    with pytest.raises(InputError) as caught:
        import_cites(source, dest)
    error = caught.value
    assert (error.line, error.column, error.value) == (3, "Listing", "IV")
    assert "line 3" in str(error) and "'IV'" in str(error)
    assert dest.read_bytes() == b"previous"


def test_import_rejects_empty_and_unlisted(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        import_cites(_export(tmp_path, "", header=""), tmp_path / "a.tsv.gz")
    with pytest.raises(InputError, match="no listed taxon"):
        import_cites(_export(tmp_path, ""), tmp_path / "b.tsv.gz")


def test_load_rejects_other_files(tmp_path: Path) -> None:
    path = tmp_path / "other.tsv"
    path.write_text("a\tb\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a netpatrol CITES checklist"):
        load_cites(path)
    with pytest.raises(InputError, match="cannot read"):
        load_cites(tmp_path / "missing.tsv.gz")


def test_shipped_file_format() -> None:
    data = (ROOT / "netpatrol" / "knowledge" / "cites" / SHIPPED).read_bytes()
    assert data[4:8] == b"\0\0\0\0"  # gzip mtime 0: deterministic
    lines = gzip.decompress(data).decode("utf-8").splitlines()
    assert lines[0] == f"#state\t{CHECKLIST_STATE}"
    assert tuple(lines[1].split("\t")) == COLUMNS
    assert len(data) < 1_500_000


def test_shipped_file_is_what_the_script_builds(tmp_path: Path) -> None:
    if not SAPI.is_dir():
        pytest.skip(f"shared data not found: {SAPI} (staged beside the repository)")
    out = tmp_path / SHIPPED
    script = ROOT / "scripts" / "build_cites.py"
    command = [sys.executable, str(script), "--data", str(SAPI), "--out", str(out)]
    subprocess.run(command, check=True, capture_output=True)
    assert out.read_bytes() == (ROOT / "netpatrol" / "knowledge" / "cites" / SHIPPED).read_bytes()


def test_import_rejects_bad_csv(tmp_path: Path) -> None:
    source = _export(tmp_path, '1,Animalia,,Aves,A,B,C,,,"Falco" x,,GENUS,II,,,,\n')
    with pytest.raises(InputError, match="bad CSV") as caught:
        import_cites(source, tmp_path / "out.tsv.gz")
    assert caught.value.line == 2
