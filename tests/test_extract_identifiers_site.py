"""Accounts and sites: IBANs, PayPal.Me names, analytics and ad-network ids, onion v3
addresses and outbound domains."""

from __future__ import annotations

import pytest

from netpatrol.extract.identifiers import FindContext, find_identifiers
from netpatrol.extract.identifiers.iban import IbanFinder, iban_length


def found(text: str, page_domain: str | None = None) -> set[tuple[str, str]]:
    return {
        (m.identifier.kind, m.identifier.value)
        for m in find_identifiers(text, FindContext(page_domain=page_domain))
    }


# The examples of the IBAN registry and national banking associations.
IBANS = [
    "GB82 WEST 1234 5698 7654 32",
    "DE89 3704 0044 0532 0130 00",
    "FR14 2004 1010 0505 0001 3M02 606",
    "NL91 ABNA 0417 1643 00",
    "BE68 5390 0754 7034",
    "CH93 0076 2011 6238 5295 7",
    "ES91 2100 0418 4502 0005 1332",
    "IT60 X054 2811 1010 0000 0123 456",
    "AT61 1904 3002 3457 3201",
]


@pytest.mark.parametrize("iban", IBANS)
def test_ibans_grouped_and_compact(iban: str) -> None:
    compact = iban.replace(" ", "")
    for written in (iban, compact, iban.replace(" ", "\u00a0")):
        text = f"IBAN: {written}, BIC XYZ"
        (mention,) = find_identifiers(text)
        assert (mention.identifier.kind, mention.identifier.value) == ("iban", compact)
        assert mention.raw == written


@pytest.mark.parametrize("iban", IBANS)
def test_one_changed_digit_is_not_an_iban(iban: str) -> None:
    last = iban[-1]
    changed = iban[:-1] + ("0" if last != "0" else "1")
    assert found(f"IBAN: {changed}") == set()


def test_iban_length_is_the_countrys() -> None:
    assert (iban_length("DE"), iban_length("GB"), iban_length("FR")) == (22, 22, 27)
    assert iban_length("XX") is None
    # Longer than Germany's 22 characters without a break: part of another code.
    assert found("DE89370400440532013000123") == set()
    # Two IBANs in a row, the second right after the first's last group.
    assert found("DE89 3704 0044 0532 0130 00 GB82 WEST 1234 5698 7654 32 EUR") == {
        ("iban", "DE89370400440532013000"),
        ("iban", "GB82WEST12345698765432"),
    }
    assert not IbanFinder.validate("de89370400440532013000")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("paypal.me/JohnDoe", "johndoe"),
        ("Pay at PayPal.Me/CoralShop2 please", "coralshop2"),
        ("https://www.paypal.com/paypalme/Shop2020/25EUR", "shop2020"),
    ],
)
def test_paypal_me(text: str, value: str) -> None:
    assert ("paypal", value) in found(text)


def test_not_paypal_me() -> None:
    assert found("PayPal.Me/my") == set()
    assert found("xpaypal.me/abc") == set()
    assert found("we accept PayPal") == set()


TRACKING = [
    ("ga('create', 'UA-12345678-1', 'auto')", "google_analytics", "UA-12345678-1"),
    ("gtag('config', 'G-ABC123XYZ9');", "google_analytics", "G-ABC123XYZ9"),
    ('{"measurementId": "G-7QX2LB4W1N"}', "google_analytics", "G-7QX2LB4W1N"),
    ("(window,document,'script','dataLayer','GTM-ABC1234')", "gtm", "GTM-ABC1234"),
    ('data-ad-client="ca-pub-1234567890123456"', "adsense", "pub-1234567890123456"),
    ('google_ad_client = "pub-1234567890123456";', "adsense", "pub-1234567890123456"),
    ("google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0", "adsense", None),
    ("fbq('init', '123456789012345');", "facebook_pixel", "123456789012345"),
    ("facebook.com/tr?id=1234567890123456&ev=PageView", "facebook_pixel", None),
]


@pytest.mark.parametrize(("text", "kind", "value"), TRACKING)
def test_tracking_ids(text: str, kind: str, value: str | None) -> None:
    values = {v for k, v in found(text) if k == kind}
    assert len(values) == 1
    assert value is None or values == {value}


@pytest.mark.parametrize(
    "text",
    [
        "G-ABC123XYZ9 in a sentence",  # "G-" ids only inside a gtag/measurement call
        "order pub-1234567890123456",  # a bare pub- id away from AdSense
        "GTM-XXXXXX",  # a documentation placeholder
        "gtag('config', 'G-XXXXXXXXXX')",
        "myUA-12345678-1",
    ],
)
def test_not_tracking_ids(text: str) -> None:
    assert found(text) == set()


ONIONS = [
    "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid",  # Tor Project
    "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad",  # DuckDuckGo
    "nytimesn7cgmftshazwhfgzm37qxb44r64ytbb2dj3x62d2lljsciiyd",  # The New York Times
    "bbcnewsd73hkzno2ini43t4gblxvycyac5aw4gnv7t2rccijh7745uqd",  # BBC News
]


@pytest.mark.parametrize("label", ONIONS)
def test_onion_v3(label: str) -> None:
    text = f"mirror: http://www.{label.upper()}.onion/shop"
    mentions = [m for m in find_identifiers(text) if m.identifier.kind == "onion"]
    assert [(m.identifier.value, m.raw) for m in mentions] == [
        (f"{label}.onion", f"{label.upper()}.onion")
    ]
    changed = label[:-2] + ("a" if label[-2] != "a" else "b") + label[-1]
    assert found(f"http://{changed}.onion/") == set()


def test_onion_v2_and_near_misses_are_not_reported() -> None:
    assert found("http://expyuzz4wqqyqhjn.onion/") == set()  # v2, gone since 2021
    assert found("x" + ONIONS[0] + ".onion") == set()  # 57 characters


def test_outbound_domains() -> None:
    text = (
        "see https://www.other-shop.co.uk/item and www.Example.DE. "
        "//cdn.partner.org/a.js https://fonts.googleapis.com/css www.logo.png "
        "https://127.0.0.1/ http://localhost:8080 https://xn--80ak6aa92e.com/ "
        "https://shop.page.fr/a https://t.me/seller_one"
    )
    domains = [
        (m.identifier.value, m.raw)
        for m in find_identifiers(text, FindContext(page_domain="page.fr"))
        if m.identifier.kind == "domain"
    ]
    assert domains == [
        ("other-shop.co.uk", "www.other-shop.co.uk"),
        ("example.de", "www.Example.DE"),
        ("partner.org", "cdn.partner.org"),
        ("xn--80ak6aa92e.com", "xn--80ak6aa92e.com"),
    ]


def test_a_platform_where_sellers_have_pages_is_kept() -> None:
    assert ("domain", "facebook.com") in found("https://www.facebook.com/ivory.shop")
    assert ("domain", "google.com") not in found("https://www.google.com/recaptcha/api.js")
