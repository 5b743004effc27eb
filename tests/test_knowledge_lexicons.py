"""The shipped detection lexicons, their loader and the text folding."""

from __future__ import annotations

import importlib.util
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from conftest import SHARED_DATA
from hypothesis import given
from hypothesis import strategies as st

from netpatrol.errors import InputError
from netpatrol.knowledge.lexicons import (
    CATEGORIES,
    KINDS,
    LANGS,
    SHIPPED,
    Term,
    fold,
    fold_with_offsets,
    load_all,
    load_lexicon,
    load_lexicon_file,
    shipped_path,
)

ROOT = Path(__file__).resolve().parents[1]
HEADER = "term\tcategory\tlabel\tkind\tlang\tweight\textra\n"


def find(term: str, category: str, label: str | None = None) -> list[Term]:
    return [
        t
        for t in load_all()
        if fold(t.term) == fold(term)
        and t.category == category
        and (label is None or t.label == label)
    ]


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_file_loads_and_is_valid(name: str) -> None:
    terms = load_lexicon(name)
    assert terms, name
    for t in terms:
        assert t.category in CATEGORIES
        assert t.kind in KINDS
        assert t.lang in LANGS
        assert 0.0 <= t.weight <= 1.0
        assert t.term == t.term.strip() and "\t" not in t.term


def test_no_duplicate_term_category_label_across_files() -> None:
    keys = Counter((fold(t.term), t.category, t.label) for t in load_all())
    assert [k for k, n in keys.items() if n > 1] == []


def test_the_hand_file_of_the_drug_build_is_valid() -> None:
    assert load_lexicon_file(ROOT / "netpatrol/knowledge/lexicons/drugs-hand.tsv")


def test_sizes_are_those_of_a_usable_lexicon() -> None:
    sizes = {name: len(load_lexicon(name)) for name in SHIPPED}
    assert sizes["drugs"] > 1500
    assert sizes["medicine"] > 300
    assert sizes["weapons"] > 200
    assert sizes["wildlife"] > 300
    brands = {t.label for t in load_lexicon("counterfeit") if t.kind == "brand"}
    assert len(brands) > 120


def test_fold_strips_accents_and_maps_special_letters() -> None:
    assert fold("Cocaïne") == "cocaine"
    assert fold("Schalldämpfer") == "schalldampfer"
    assert fold("Großhandel") == "grosshandel"
    assert fold("Œuf ŒUVRE cœur") == "oeuf oeuvre coeur"
    assert fold("Ærø Øl") == "aero ol"
    assert fold("ÉCAILLE de Tortue") == "ecaille de tortue"
    assert fold("Devil’s – dandruff") == "devil's - dandruff"
    assert fold("plain ascii") == "plain ascii"
    # File names of e-books join words with underscores: "3rd_ed" is "3rd ed".
    assert fold("Secrets_of_Manufacture_3rd_ed") == "secrets of manufacture 3rd ed"
    assert fold("Cocaïne_Guide") == "cocaine guide"


def test_fold_with_offsets_maps_back_to_the_original() -> None:
    text = "Straße: œuf 5µg"
    folded, offsets = fold_with_offsets(text)
    assert folded == fold(text) == "strasse: oeuf 5μg"
    assert len(offsets) == len(folded)
    start = folded.index("oeuf")
    end = start + len("oeuf")
    assert text[offsets[start] : offsets[end - 1] + 1] == "œuf"
    ss = folded.index("ss")
    assert offsets[ss] == offsets[ss + 1] == text.index("ß")


@given(st.text())
def test_every_folded_character_comes_from_its_offset(text: str) -> None:
    folded, offsets = fold_with_offsets(text)
    assert folded == fold(text)
    assert len(offsets) == len(folded)
    assert offsets == sorted(offsets)
    for index, char in enumerate(folded):
        assert char in fold(text[offsets[index]])
        assert not unicodedata.combining(char)


def test_samples_drugs() -> None:
    (cocaine,) = find("cocaine", "drugs", "cocaine")
    assert cocaine.extra_value("schedule") == "II"
    assert cocaine.weight == 1.0
    assert find("haschisch", "drugs", "cannabis")
    (weed,) = find("weed", "drugs", "cannabis")
    assert weed.weight <= 0.5
    assert not find("blue", "drugs")
    assert not find("candy", "drugs")
    (heroine,) = find("héroïne", "drugs", "heroin")
    assert heroine.extra_value("fr_list") == "stupefiants"
    assert heroine.extra_value("annexe") == "I"


def test_samples_medicine_and_counterfeit() -> None:
    (viagra,) = find("Viagra", "medicine")
    assert viagra.label == "sildenafil" and viagra.kind == "brand_drug"
    assert viagra.extra_value("class") == "erectile_dysfunction"
    assert find("sans ordonnance", "medicine")[0].kind == "pharmacy_cue"
    assert find("réplique", "counterfeit")[0].kind == "counterfeit_cue"
    (rolex,) = find("Rolex", "counterfeit", "Rolex")
    assert rolex.kind == "brand"
    assert int(rolex.extra_value("price_floor_eur") or 0) >= 2000
    (apple,) = find("Apple", "counterfeit")
    assert apple.weight < 0.5


def test_samples_weapons_and_wildlife() -> None:
    (glock,) = find("Glock 17", "weapons")
    assert glock.label == "pistol" and glock.extra_value("make") == "Glock"
    assert find("Schalldämpfer", "weapons")[0].kind == "silencer"
    assert find("pistolet à colle", "weapons")[0].kind == "lookalike"
    (ivoire,) = find("ivoire", "wildlife")
    assert ivoire.kind == "product" and ivoire.label == "ivory" and ivoire.lang == "fr"
    (faux,) = find("faux ivoire", "wildlife")
    assert faux.kind == "lookalike" and faux.label == "ivory"
    assert find("braconnage", "wildlife")[0].kind == "non_sale"


def test_extra_value() -> None:
    term = Term("x", "drugs", "x", "slang", "en", 0.5, (("a", "1"), ("b", "two")))
    assert term.extra_value("b") == "two"
    assert term.extra_value("c") is None


def test_a_user_lexicon_loads(tmp_path: Path) -> None:
    path = tmp_path / "mine.tsv"
    path.write_text(
        "# my terms\n" + HEADER + "tiger balm\twildlife\ttiger\tlookalike\ten\t0.9\t\n",
        encoding="utf-8",
    )
    (term,) = load_lexicon_file(path)
    assert term == Term("tiger balm", "wildlife", "tiger", "lookalike", "en", 0.9, ())


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("x\tdrugs\tx\tslang\ten\t1.5\t", "weight"),
        ("x\tdrugs\tx\tslang\ten\theavy\t", "weight"),
        ("x\tfood\tx\tslang\ten\t0.5\t", "category"),
        ("x\tdrugs\tx\tnonsense\ten\t0.5\t", "kind"),
        ("x\tdrugs\tx\tslang\tsv\t0.5\t", "lang"),
        ("x\tdrugs\tx\tslang\ten\t0.5\tnot-a-pair", "extra"),
        ("\tdrugs\tx\tslang\ten\t0.5\t", "term"),
    ],
)
def test_a_malformed_user_file_names_file_line_and_field(
    tmp_path: Path, line: str, column: str
) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(HEADER + "ok\tdrugs\tok\tslang\ten\t0.5\t\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_lexicon_file(path)
    assert caught.value.line == 3
    assert caught.value.column == column
    assert "bad.tsv" in str(caught.value) and "line 3" in str(caught.value)


def test_a_wrong_field_count_or_header_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(HEADER + "only\tthree\tfields\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        load_lexicon_file(path)
    path.write_text("term\tcategory\n", encoding="utf-8")
    with pytest.raises(InputError, match="header"):
        load_lexicon_file(path)
    with pytest.raises(InputError, match="cannot read"):
        load_lexicon_file(tmp_path / "missing.tsv")


def test_shipped_path_rejects_unknown_names() -> None:
    assert shipped_path("drugs").name == "drugs.tsv"
    with pytest.raises(ValueError, match="unknown lexicon"):
        shipped_path("../etc/passwd")


@pytest.mark.skipif(
    not (SHARED_DATA / "dea-controlled-substances-dope").is_dir()
    or not (SHARED_DATA / "fr-stupefiants-psychotropes").is_dir(),
    reason="the public source data (../shared/data) is not available here",
)
def test_drugs_tsv_is_what_the_build_script_produces() -> None:
    spec = importlib.util.spec_from_file_location(
        "build_lexicons", ROOT / "scripts" / "build_lexicons.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    built: str = module.build(SHARED_DATA)
    assert built == shipped_path("drugs").read_text(encoding="utf-8")
