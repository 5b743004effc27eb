"""``classify``, ``eval``, ``scan`` detections and ``stats --wildlife`` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from netpatrol.detect.classify import classify_subjects, subject
from netpatrol.detect.matcher import use_checklist
from netpatrol.detect.model import load_model
from netpatrol.errors import ConfigError

CASES = Path(__file__).parent / "data" / "detection-cases.jsonl"
CATEGORIES = {"wildlife", "medicine", "counterfeit", "drugs", "weapons", "benign"}


def _jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_classify_gives_category_labels_and_evidence_pointing_into_the_text(
    cli: CliRunner, tmp_path: Path
) -> None:
    title, text = "Défense d'éléphant sculptée", "Prix 450 €, envoi possible"
    source = _jsonl(tmp_path / "in.jsonl", [{"id": 7, "title": title, "text": text}])
    result = cli("classify", source)
    assert result.code == 0, result.err
    (record,) = _lines(result.out)
    assert record["id"] == 7
    assert record["category"] == "wildlife"
    assert 0.5 <= record["score"] <= 1.0
    assert record["price"] == 450 and record["currency"] == "EUR"
    full = f"{title}\n{text}"
    for evidence in record["evidence"]:
        assert full[evidence["start"] : evidence["end"]] == evidence["text"]
    assert any(e["kind"] == "product" for e in record["evidence"])


def test_classify_cites_the_appendix_with_the_checklist_date(
    cli: CliRunner, tmp_path: Path
) -> None:
    source = _jsonl(
        tmp_path / "in.jsonl",
        [{"id": 1, "title": "Live Psittacus erithacus chicks for sale", "text": "hand reared"}],
    )
    (record,) = _lines(cli("classify", source).out)
    assert record["category"] == "wildlife"
    assert "taxon:Psittacus erithacus" in record["labels"]
    cites = [x for x in record["labels"] if x.startswith("cites:")]
    assert cites == ["cites:Psittacus erithacus:Appendix II (CITES checklist of 2013)"]


def test_classify_reports_a_bad_line_and_goes_on(cli: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "title": "1g cocaine"}\nnot json\n{"title": "no id"}\n', "utf-8")
    result = cli("classify", source)
    assert result.code == 1
    assert [r["category"] for r in _lines(result.out)] == ["drugs"]
    assert "line 2" in result.err and "not valid JSON" in result.err
    assert "line 3" in result.err and "'id'" in result.err


def test_classify_names_a_line_that_is_not_utf8(cli: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'{"id": 1, "title": "coca\xefne 1g"}\n{"id": 2, "title": "1g cocaine"}\n')
    result = cli("classify", source)
    assert result.code == 1
    assert [r["id"] for r in _lines(result.out)] == [2]
    assert "line 1: not UTF-8 text: byte 0xef" in result.err


def test_classify_html_list_page_classifies_every_card(cli: CliRunner, tmp_path: Path) -> None:
    cards = "".join(
        f'<div class="card"><h3>{t}</h3><span class="price">{p} €</span></div>'
        for t, p in (("Glock 17 9mm", 900), ("Cocaïne 5g", 300), ("Vélo de route", 250))
    )
    html = f"<html><body><div class='grid'>{cards}</div></body></html>"
    source = _jsonl(tmp_path / "in.jsonl", [{"id": "p", "html": html, "url": "https://x.fr/"}])
    (record,) = _lines(cli("classify", source).out)
    found = [listing["category"] for listing in record["listings"]]
    assert found == ["weapons", "drugs", "benign"]


def test_rules_only_mode_needs_no_model(cli: CliRunner, tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [{"id": 1, "title": "Rolex Submariner replica AAA"}])
    (record,) = _lines(cli("classify", "--rules", source).out)
    assert record["category"] == "counterfeit"


def test_eval_prints_figures_confusion_and_misclassified_rows(cli: CliRunner) -> None:
    result = cli("eval", CASES)
    assert result.code == 0, result.err
    assert "precision" in result.out and "confusion" in result.out
    assert "misclassified:" in result.out
    figures = cli("eval", "--json", CASES).json()
    assert set(figures["per_category"]) <= CATEGORIES  # type: ignore[index]


def test_eval_names_a_bad_expected_label(cli: CliRunner, tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [{"id": 1, "title": "x", "expect": "fish"}])
    result = cli("eval", source)
    assert result.code == 1
    assert "line 1" in result.err and "'expect'" in result.err and "fish" in result.err


def test_hand_written_cases_hold(cli: CliRunner) -> None:
    """The gate on the multilingual cases and look-alikes of tests/data: a regression in
    the lexicons or the decision rule fails here."""
    figures = cli("eval", "--json", CASES).json()
    # 116 cases, all right on 2026-11-25: two may go wrong before this fails.
    assert figures["accuracy"] >= 0.98  # type: ignore[index]
    wrong = {m["id"] for m in figures["misclassified"]}  # type: ignore[index]
    # Look-alikes named in the issue stay benign, and the multilingual tool and toy ones.
    assert not wrong & {"b1", "b2", "b3", "b4", "b5", "b6", "b7", "b9", "b10", "b16"}
    assert not {i for i in wrong if i.startswith("m-") and "-la" in i}
    # A carved ivory figurine is ivory: "figurine" was a look-alike until 2026-11-25.
    assert not wrong & {"w-en-ivory-figurine", "w-fr-ivory-figurine"}


def test_a_damaged_model_file_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "model.npz"
    broken.write_bytes(b"not a model")
    with pytest.raises(ConfigError, match=r"model\.npz"):
        load_model(broken)
    with pytest.raises(ConfigError, match="netpatrol train"):
        load_model(tmp_path / "absent.npz")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_classify_never_crashes_and_evidence_is_in_the_text(title: str, text: str) -> None:
    item = subject(title, text)
    (found,) = classify_subjects([item])
    assert found.category in CATEGORIES
    full = item.full_text
    for evidence in found.evidence:
        assert full[evidence.start : evidence.end] == evidence.text


def test_scan_stores_detections_and_stats_wildlife_reports_them(
    cli: CliRunner, workspace: Path
) -> None:
    ads = workspace.parent / "ads.csv"
    ads.write_text(
        "title,description,price,seller\n"
        "Taxidermy fruit bat in glass dome,Real specimen from Indonesia,45 EUR,s1\n"
        "Pair of framed Psittacus erithacus feathers,Grey parrot feathers,30 EUR,s2\n"
        "Vélo de course Peugeot,Très bon état,250 EUR,s3\n",
        "utf-8",
    )
    assert cli("-w", workspace, "ingest", ads).code == 0
    assert cli("-w", workspace, "--set", "progress=false", "scan").code == 0
    data = cli("-w", workspace, "stats", "--wildlife", "--json").json()
    assert data["total"]["ads"] == 2  # type: ignore[index]
    assert data["total"]["specimens"] >= 3  # type: ignore[index]  # the pair counts 2
    assert data["total"]["value_eur"] == 75.0  # type: ignore[index]
    appendix = {row["key"] for row in data["by"]["appendix"]}  # type: ignore[index]
    assert "Appendix II" in appendix
    assert "2013" in data["checklist"]  # type: ignore[index]
    table = cli("-w", workspace, "stats", "--wildlife")
    assert "wildlife: 2 ads" in table.out


def test_import_cites_replaces_the_checklist_for_the_workspace(
    cli: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    export = tmp_path / "cites_listings_2026-11-01.csv"
    export.write_text(
        "Id,Kingdom,Phylum,Class,Order,Family,Genus,Species,Subspecies,Scientific Name,Author,"
        "Rank,Listing,Party,Listed under,Full note,# Full note\n"
        "9644,Animalia,Chordata,Aves,PSITTACIFORMES,Psittacidae,Psittacus,erithacus,,"
        'Psittacus erithacus,"Linnaeus, 1758",SPECIES,I,,Psittacus erithacus,,\n',
        "utf-8",
    )
    result = cli("-w", workspace, "knowledge", "import-cites", export)
    assert result.code == 0, result.err
    assert "imported 1 taxa" in result.out
    source = _jsonl(tmp_path / "in.jsonl", [{"id": 1, "title": "Psittacus erithacus chicks"}])
    try:
        (record,) = _lines(cli("-w", workspace, "classify", source).out)
        cites = [x for x in record["labels"] if x.startswith("cites:")]
        assert cites and "Appendix I " in cites[0] and "2026-11-01" in cites[0]
    finally:
        use_checklist(None)  # later tests use the shipped checklist again


PROBE = Path(__file__).parent / "data" / "detection-probe-tuning.jsonl"


def test_multilingual_probe_tuning_half_holds(cli: CliRunner) -> None:
    """224 listings in 7 languages written for this project without sight of the lexicons
    (2026-11-25): the half whose gaps the fourth round filled. 0.817 before, 0.955 after."""
    # Counterfeit money, leaflets and seizure news, ivory dresses, scale models, explosives,
    # in each language the probe wrote them.
    held = {
        *(f"p-{lang}-counterfeit-003" for lang in ("fr", "de", "es", "it", "nl", "pt")),
        *(f"p-{lang}-lookalike-015" for lang in ("de", "es", "nl", "pt")),
        *(f"p-{lang}-lookalike-001" for lang in ("de", "it", "nl")),
        *(f"p-{lang}-lookalike-017" for lang in ("en", "de", "es")),
        "p-es-lookalike-011",
        "p-it-lookalike-011",
        "p-es-weapons-007",
        "p-it-weapons-007",
        "p-nl-weapons-003",
    }
    _probe_holds(cli, PROBE, 0.93, held)


def _probe_holds(cli: CliRunner, path: Path, accuracy: float, held: set[str]) -> None:
    """The probe's accuracy stays at least ``accuracy`` and none of ``held`` goes wrong."""
    figures = cli("eval", "--json", path).json()
    assert figures["accuracy"] >= accuracy  # type: ignore[index]
    wrong = {m["id"] for m in figures["misclassified"]}  # type: ignore[index]
    assert not wrong & held, sorted(wrong & held)


PROBE_DARKNET = Path(__file__).parent / "data" / "detection-probe2-tuning.jsonl"


def test_darknet_and_lookalike_probe_tuning_half_holds(cli: CliRunner) -> None:
    """200 darknet-style offers and lawful look-alikes in English written for this project
    without sight of the lexicons (2026-11-25, fifth round): the half whose gaps were
    filled. 0.870 before, 0.950 after; look-alikes flagged 22 -> 7 of 70."""
    # Merchandise and records about the topic, tool and container look-alikes, a vendor's
    # "never had a seizure", salvia.
    held = {
        "q-dnd-001",
        "q-dnd-053",
        "q-la-015",
        "q-la-017",
        "q-la-029",
        "q-la-035",
        "q-la-037",
        "q-la-055",
        "q-la-057",
        "q-la-063",
        "q-la-079",
        "q-la-085",
        "q-la-093",
        "q-la-097",
        "q-la-105",
        "q-la-115",
    }
    _probe_holds(cli, PROBE_DARKNET, 0.94, held)


PROBE_LOOKALIKES = Path(__file__).parent / "data" / "detection-probe3-tuning.jsonl"


def test_multilingual_lookalike_probe_tuning_half_holds(cli: CliRunner) -> None:
    """217 listings in 7 languages, three in four of them lawful look-alikes, written for
    this project without sight of the lexicons (2026-11-25, sixth round): the half whose
    gaps were filled. 0.862 before, 0.977 after; look-alikes flagged 25 -> 4 of 161."""
    held = {
        "r-en-la-007",  # toy figurines named in the title: their animals are toys too
        "r-fr-la-007",
        "r-de-la-007",
        "r-pt-la-007",
        "r-en-la-015",  # water pistols, cap guns, airsoft replicas
        "r-fr-la-013",
        "r-fr-la-015",
        "r-es-la-015",
        "r-pt-la-015",
        "r-fr-la-011",
        "r-es-la-011",
        "r-nl-la-011",
        "r-pt-la-011",
        "r-es-la-003",  # tortoiseshell-coloured frames
        "r-pt-la-003",
        "r-nl-la-039",  # a counterfeit-money detector pen
        "r-es-la-029",  # poppy seeds for baking
        "r-pt-la-041",  # seizure news
        "r-de-il-003",  # amphetamine paste, cannabis by the gram, knuckle-dusters, flick knives
        "r-it-il-001",
        "r-nl-il-011",
        "r-pt-il-011",
        "r-es-il-015",  # wild-caught spur-thighed tortoises
    }
    _probe_holds(cli, PROBE_LOOKALIKES, 0.96, held)


PROBE_WEAPONS = Path(__file__).parent / "data" / "detection-probe4-tuning.jsonl"


def test_weapons_probe_tuning_half_holds(cli: CliRunner) -> None:
    """247 weapon offers, other dark-web offers and lawful look-alikes with weapon words in
    7 languages, written for this project without sight of the lexicons (2026-11-25,
    seventh round): the half whose gaps were filled. 0.789 before, 0.984 after; look-alikes
    flagged 21 -> 0 of 96."""
    held = {
        "w-en-wp-013",  # a gun sold with its holster, or a sawn-off with a pistol grip
        "w-en-wp-017",
        "w-de-wp-005",
        "w-en-wp-045",  # out-the-front knives, cane swords, throwing stars, zombie knives
        "w-fr-wp-027",
        "w-de-wp-015",
        "w-nl-wp-027",
        "w-it-wp-029",  # "never registered" is no news of a report to the police
        "w-en-wp-053",  # "police grade" neither
        "w-de-wp-025",  # flash powder, thermite
        "w-pt-wp-011",
        "w-en-la-021",  # a rifle case, a licensed dealer's sale, targets, spent casings
        "w-en-la-025",
        "w-en-la-023",
        "w-en-la-051",
        "w-en-la-043",  # works and brands named after guns, shaped objects, patches
        "w-en-la-049",
        "w-es-la-007",
        "w-en-la-077",
        "w-es-la-003",  # exhaust silencers, thermometer and tattoo "pistols"
        "w-it-la-003",
        "w-de-la-011",
        "w-it-la-011",
    }
    _probe_holds(cli, PROBE_WEAPONS, 0.97, held)


PROBE_2014 = Path(__file__).parent / "data" / "detection-probe5-tuning.jsonl"


def test_2014_darknet_probe_tuning_half_holds(cli: CliRunner) -> None:
    """250 listing titles in the style of 2013-2015 darknet markets (weapons by make, model
    and calibre, pyrotechnics, melee and non-lethal weapons, body armour, and what the
    same markets sold lawfully), written for this project without sight of the lexicons
    (2026-11-25, eighth round): the half whose gaps were filled. 0.832 before, 0.980 after;
    weapons F1 0.828 -> 0.990."""
    held = {
        "d5-187",  # makes and models spelled spaced: "Hi Point C9"
        "d5-097",  # magazines by their capacity: "AK 75rd drum", "30rd"
        "d5-195",
        "d5-159",  # military loads and defensive brands: "M855 green tip", "Black Talon"
        "d5-497",
        "d5-411",
        "d5-123",
        "d5-301",  # surplus revolvers and pistols with their calibres
        "d5-355",
        "d5-351",  # "IWI Tavor" is a rifle, not the benzodiazepine Tavor
        "d5-085",  # firecrackers, grenade fuses, black powder
        "d5-105",
        "d5-451",
        "d5-219",  # a blank pistol converted to fire live rounds
        "d5-281",  # karambits, batons, crossbows, OC spray, body armour
        "d5-403",
        "d5-443",
        "d5-325",
        "d5-449",
        "d5-067",  # Soma 350, Focalin, Strattera, Ksalol, naloxone
        "d5-113",
        "d5-125",
        "d5-493",
        "d5-397",
        "d5-071",  # cannabis oil, meth shards, psilocybin truffles, a blotter's "200ug"
        "d5-297",
        "d5-479",
        "d5-283",
        "d5-111",  # a toy gun with its orange tip is no counterfeit
    }
    _probe_holds(cli, PROBE_2014, 0.96, held)


PROBE_MARKET_SECTIONS = Path(__file__).parent / "data" / "detection-probe6-tuning.jsonl"


def test_market_sections_probe_tuning_half_holds(cli: CliRunner) -> None:
    """250 titles of 2013-2016 darknet markets, 150 of them what their other sections sold
    lawfully (guides with no book word, paraphernalia, tobacco, services, merchandise,
    genuine goods, buyers' posts), written for this project without sight of the lexicons
    (2026-11-25, tenth round): the half whose gaps were filled. 0.888 before, 0.980 after;
    look-alikes flagged 24 -> 4 of 150."""
    held = {
        "d6-011",  # a title that teaches: "medical facts every user should know"
        "d6-363",
        "d6-445",  # "PF Tek explained, beginner friendly"
        "d6-101",  # an e-book's format: "(epub/mobi)"
        "d6-353",  # any ordinal edition: "Lyman 50th edition"
        "d6-203",  # a seminar
        "d6-001",  # empty carts, hash bags, a rolling tray
        "d6-135",
        "d6-151",
        "d6-131",  # drug-print merchandise: a snapback cap, a sculpture
        "d6-021",
        "d6-155",  # tobacco and vegetable seeds, shisha, e-liquid
        "d6-455",
        "d6-205",
        "d6-195",
        "d6-013",  # a shipping option sells no drug
        "d6-333",  # "Custom listing for greenleaf77 - as discussed"
        "d6-231",  # a buyer's title offering payment: "WTB: Glock 19 ..., cash or BTC"
        "d6-115",  # "Not a copy" holds no counterfeit cue
        "d6-471",  # a jeweller's acid test of gold
        "d6-357",  # research chemicals: methoxetamine, ethylphenidate
        "d6-479",
        "d6-497",  # "police model" is what the stun gun is, not news
    }
    _probe_holds(cli, PROBE_MARKET_SECTIONS, 0.97, held)


PROBE_WEB_SHOPS = Path(__file__).parent / "data" / "detection-probe7-tuning.jsonl"


def test_web_shop_probe_tuning_half_holds(cli: CliRunner) -> None:
    """240 clearnet shop listings in the seven languages (rogue pharmacies, fake web shops
    and their lawful look-alikes: pharmacies that ask for the prescription, genuine goods,
    repairers, accessories), written for this project without sight of the lexicons
    (2026-11-25, tenth round, second probe): the half whose gaps were filled. 0.825 before;
    look-alikes flagged 14 -> 4 of 120."""
    held = {
        "d7-007",  # a fake shop's discount: "129 € statt 699 €", "-75%", "RRP"
        "d7-017",
        "d7-057",
        "d7-169",
        "d7-273",
        "d7-309",
        "d7-323",
        "d7-431",
        "d7-157",  # luxury houses and flagship models: Balmain, iPhone 15 Pro Max, iPad Pro
        "d7-159",
        "d7-401",
        "d7-059",  # a repairer names the brands it services
        "d7-061",
        "d7-387",
        "d7-429",
        "d7-165",  # an accessory names the device it fits
        "d7-239",
        "d7-047",  # a pharmacy asking for the prescription
        "d7-255",
        "d7-449",
        "d7-457",
        "d7-131",  # INNs as each language spells them: Finasterid, Zopiclon, sibutramina
        "d7-153",
        "d7-167",
        "d7-193",
        "d7-471",
    }
    _probe_holds(cli, PROBE_WEB_SHOPS, 0.93, held)


PROBE_WILDLIFE_ADS = Path(__file__).parent / "data" / "detection-probe8-tuning.jsonl"
PROBE_SOCIAL_POSTS = Path(__file__).parent / "data" / "detection-probe9-tuning.jsonl"


def test_wildlife_ads_probe_tuning_half_holds(cli: CliRunner) -> None:
    """210 classified ads in the seven languages (protected species alive and dead, their
    products, and lawful look-alikes), written for this project without sight of the
    lexicons (2026-11-25, tenth round, third probe): the half whose gaps were filled.
    0.833 before, 0.957 after; wildlife recall 83 -> 104 of 105."""
    held = {
        "d8-021",  # common names as each language writes them, plurals too
        "d8-051",
        "d8-183",
        "d8-185",
        "d8-221",
        "d8-243",
        "d8-329",
        "d8-053",  # products: bear skin, crocodile and python leather, ivory keytops,
        "d8-077",  # sea-turtle shell, rhino horn, bear bile, agarwood, dried seahorses
        "d8-141",
        "d8-189",
        "d8-203",
        "d8-225",
        "d8-275",
        "d8-285",
        "d8-291",
        "d8-307",
        "d8-331",
        "d8-263",  # a stuffed owl, raptors' eggs
        "d8-267",
        "d8-017",  # what it is made of, a plush toy, a photograph, a cage for a parrot
        "d8-229",
        "d8-245",
        "d8-253",
        "d8-297",
    }
    _probe_holds(cli, PROBE_WILDLIFE_ADS, 0.93, held)


def test_social_posts_probe_tuning_half_holds(cli: CliRunner) -> None:
    """210 social-media and messaging posts in the seven languages (slang, emoji and
    menus of dealers, and the same words used lawfully), written for this project without
    sight of the lexicons (2026-11-25, tenth round, fourth probe): the half whose gaps
    were filled. 0.805 before, 0.929 after."""
    held = {
        "d9-147",  # leetspeak and emoji beside a drug's slang: "w33d 🍃", "Ott 🌿"
        "d9-229",
        "d9-347",
        "d9-159",  # magic mushrooms in French and Italian
        "d9-195",  # synthetic cannabis, crystal MDMA, shabu
        "d9-117",
        "d9-139",
        "d9-029",  # irritant sprays, a converted alarm pistol, a stun gun, slang for a gun
        "d9-055",
        "d9-189",
        "d9-389",
        "d9-399",
        "d9-419",
        "d9-077",  # anabolic steroids by their street names
        "d9-089",  # a police warning, a lost dog, a new single, hash browns, party ice
        "d9-297",
        "d9-339",
        "d9-385",
        "d9-287",
        "d9-397",
    }
    _probe_holds(cli, PROBE_SOCIAL_POSTS, 0.9, held)
