"""Identifiers: the registry of finders (built-ins and plugins), what ``find_identifiers``
promises (spans, order, no duplicates, kinds), a contract every finder keeps, and
properties on arbitrary text (no crash, never an invalid identifier).

Kind by kind: test_extract_identifiers_contact.py, _crypto.py and _site.py."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import EntryPoint

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netpatrol.errors import NetpatrolError
from netpatrol.extract.identifiers import (
    FindContext,
    IdentifierFinder,
    find_identifiers,
    finders,
    load_finders,
    registry,
    validator,
)
from netpatrol.extract.identifiers.base import mention
from netpatrol.model import IdentifierMention

KINDS = {
    "email",
    "phone",
    "whatsapp",
    "telegram",
    "telegram_invite",
    "btc",
    "ltc",
    "eth",
    "xmr",
    "iban",
    "paypal",
    "google_analytics",
    "gtm",
    "adsense",
    "facebook_pixel",
    "onion",
    "domain",
}

PAGE = (
    "Ivory carvings, 2 pieces. Contact: vendeur [at] exemple [dot] fr or +33 6 12 34 56 78, "
    "https://wa.me/33698765432, Telegram: @ivory_trader. Pay 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa "
    "or IBAN DE89 3704 0044 0532 0130 00. Mirror: "
    "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion, partner "
    "https://www.other-shop.co.uk/ and https://www.exemple.fr/contact "
    "<script>gtag('config', 'G-ABC123XYZ9')</script>"
)


class ShopIdFinder(IdentifierFinder):
    """A plugin as a third party would write it."""

    kind = "shop_id"

    def find(self, text: str, context: FindContext) -> Iterator[IdentifierMention]:
        start = text.find("SHOP-")
        if start >= 0:
            yield mention(self.kind, text[start : start + 9], text, start, start + 9)

    @classmethod
    def validate(cls, value: str) -> bool:
        return value.startswith("SHOP-") and len(value) == 9


class SecondEmailFinder(ShopIdFinder):
    kind = "email"


@pytest.fixture
def plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Entry points the registry will see: append "module:Class" specs."""
    specs: list[str] = []

    def fake_entry_points(group: str) -> list[EntryPoint]:
        assert group == registry.ENTRY_POINT_GROUP
        return [EntryPoint(spec, spec, group) for spec in specs]

    monkeypatch.setattr(registry, "entry_points", fake_entry_points)
    load_finders.cache_clear()
    yield specs
    load_finders.cache_clear()


def test_every_built_in_kind_is_registered_once() -> None:
    assert {f.kind for f in finders()} == KINDS
    assert len(finders()) == len(KINDS)
    assert load_finders().disabled == {}


def test_a_page_gives_every_identifier_in_order() -> None:
    mentions = find_identifiers(PAGE, FindContext(region="FR", page_domain="exemple.fr"))
    assert [(m.identifier.kind, m.identifier.value) for m in mentions] == [
        ("email", "vendeur@exemple.fr"),
        ("phone", "+33612345678"),
        ("whatsapp", "+33698765432"),
        ("telegram", "ivory_trader"),
        ("btc", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
        ("iban", "DE89370400440532013000"),
        ("onion", "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion"),
        ("domain", "other-shop.co.uk"),
        ("google_analytics", "G-ABC123XYZ9"),
    ]
    for m in mentions:
        assert PAGE[m.start : m.end] == m.raw


def test_kinds_filter_and_unknown_kinds() -> None:
    mentions = find_identifiers(PAGE, FindContext(region="FR"), kinds={"btc", "iban"})
    assert [m.identifier.kind for m in mentions] == ["btc", "iban"]
    assert find_identifiers(PAGE, kinds=()) == []
    with pytest.raises(NetpatrolError, match=r"unknown identifier kind.*bitcoin.*known kinds"):
        find_identifiers(PAGE, kinds=["bitcoin"])


def test_national_phone_numbers_need_a_region_hint() -> None:
    assert [m.identifier.value for m in find_identifiers("06 12 34 56 78", FindContext("FR"))] == [
        "+33612345678"
    ]
    assert find_identifiers("06 12 34 56 78") == []


def test_the_same_mention_is_reported_once(plugins: list[str]) -> None:
    plugins.append(f"{__name__}:ShopIdFinder")
    text = "SHOP-1234 and again 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"
    mentions = find_identifiers(text)
    assert [(m.identifier.kind, m.start) for m in mentions] == [("shop_id", 0), ("btc", 20)]


def test_plugins_load_like_built_ins(plugins: list[str]) -> None:
    plugins.extend([f"{__name__}:ShopIdFinder", "no_such_module:Finder"])
    assert validator("shop_id") is ShopIdFinder
    assert "no_such_module:Finder" in load_finders().disabled
    assert [m.identifier.value for m in find_identifiers("id SHOP-0042")] == ["SHOP-0042"]


def test_two_finders_of_one_kind_are_an_error(plugins: list[str]) -> None:
    plugins.append(f"{__name__}:SecondEmailFinder")
    with pytest.raises(NetpatrolError, match=r"kind 'email' is found by both .*EmailFinder"):
        load_finders()


def test_a_plugin_that_is_not_a_finder_is_refused(plugins: list[str]) -> None:
    plugins.append(f"{__name__}:PAGE")
    with pytest.raises(TypeError, match="is not an IdentifierFinder subclass"):
        load_finders()


@pytest.mark.parametrize("finder", finders(), ids=lambda f: f.kind)
def test_finder_contract(finder: IdentifierFinder) -> None:
    """What every finder, built-in or plugin, must do."""
    assert list(finder.find("", FindContext())) == []
    assert list(finder.find("nothing to see here", FindContext("FR", "example.fr"))) == []
    for garbage in ("", " ", "x y!", "@", "0x?", "\x00", "é" * 50):
        assert not finder.validate(garbage)
    assert validator(finder.kind) is type(finder)
    assert type(finder).__doc__ or type(finder).__module__.startswith("netpatrol.")


def test_validator_of_an_unknown_kind() -> None:
    assert validator("carrier_pigeon") is None


FRAGMENTS = st.sampled_from(
    [
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
        "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
        "bc1q",
        "ltc1",
        "LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0x",
        "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A",
        "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid",
        ".onion",
        "@",
        " @ ",
        "[at]",
        "(at)",
        "[dot]",
        " dot ",
        "name",
        "shop",
        ".com",
        ".co.uk",
        "+33",
        "0049",
        "06 12",
        " 34 56 78",
        "tel:",
        "Tel ",
        "t.me/",
        "+",
        "joinchat/",
        "telegram ",
        "wa.me/",
        "?phone=",
        "paypal.me/",
        "UA-",
        "G-",
        "gtag('config', '",
        "GTM-",
        "ca-pub-",
        "pub-",
        "1234567890123456",
        "fbq('init', '",
        "IBAN ",
        "GB82 WEST 1234 5698 7654 32",
        "DE89",
        "https://",
        "//",
        "www.",
        "example",
        "logo@2x.png",
        " ",
        "\n",
        ".",
        ",",
        "-",
        "_",
        "/",
        "'",
        "0",
        "9",
        "a",
        "Z",
        "é",
        "€",
        "\u00a0",
        "İ",
    ]
)
TEXTS = st.lists(FRAGMENTS, max_size=40).map("".join) | st.text(max_size=400)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.sampled_from([None, "FR", "DE", "us", "UK", "ZZ"]))
def test_never_crashes_and_never_returns_an_invalid_identifier(
    text: str, region: str | None
) -> None:
    mentions = find_identifiers(text, FindContext(region=region, page_domain="example.com"))
    keys = [(m.identifier.kind, m.identifier.value, m.start, m.end) for m in mentions]
    assert len(keys) == len(set(keys))
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    for m in mentions:
        finder = validator(m.identifier.kind)
        assert finder is not None
        assert finder.validate(m.identifier.value), m
        assert text[m.start : m.end] == m.raw
        assert m.identifier.value != "example.com"
