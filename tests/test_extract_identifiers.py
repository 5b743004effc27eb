"""Identifiers: valid examples of every kind are found, one changed character is not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netpatrol.extract.identifiers import FindContext, find_identifiers, validator
from netpatrol.extract.identifiers.encodings import keccak256

# (kind, text as written, normalised value); published test vectors and examples.
VALID = [
    ("email", "write to dealer@example.com today", "dealer@example.com"),
    ("email", "vendeur [at] exemple [dot] fr", "vendeur@exemple.fr"),
    ("email", "Contact: Jan(at)handel(punkt)de", "jan@handel.de"),
    ("phone", "call +44 20 7946 0958", "+442079460958"),
    ("phone", "Tel. 0049 30 901820", "+4930901820"),
    ("whatsapp", "https://wa.me/33612345678", "+33612345678"),
    ("whatsapp", "api.whatsapp.com/send?phone=4915123456789", "+4915123456789"),
    ("telegram", "t.me/Pharma_Direct", "pharma_direct"),
    ("telegram", "Telegram: @ivory_trader", "ivory_trader"),
    ("btc", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
    ("btc", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
    (
        "btc",
        "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
    ),
    (
        "btc",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
    ),
    ("ltc", "LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9", "LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9"),
    (
        "eth",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
    ),
    (
        "eth",
        "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359",
        "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359",
    ),
    (
        "xmr",
        "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt"
        "7f2wfn3RVGQBEP3A",
        "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNb"
        "r2VBBEt7f2wfn3RVGQBEP3A",
    ),
    ("iban", "IBAN GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"),
    ("iban", "DE89370400440532013000", "DE89370400440532013000"),
    ("paypal", "paypal.me/JohnDoe", "johndoe"),
    ("google_analytics", "ga('create', 'UA-12345678-1', 'auto')", "UA-12345678-1"),
    ("google_analytics", "gtag('config', 'G-ABC123XYZ9')", "G-ABC123XYZ9"),
    ("gtm", "(window,document,'script','dataLayer','GTM-ABC1234')", "GTM-ABC1234"),
    ("adsense", 'data-ad-client="ca-pub-1234567890123456"', "pub-1234567890123456"),
    ("facebook_pixel", "fbq('init', '123456789012345');", "123456789012345"),
    (
        "onion",
        "http://2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion/",
        "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion",
    ),
    ("domain", "see https://www.other-shop.co.uk/item", "other-shop.co.uk"),
]

# The same identifiers with one character changed: checksums must reject them.
INVALID = [
    ("btc", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"),
    ("btc", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"),
    ("btc", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj1"),
    ("ltc", "LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH8"),
    ("eth", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"),
    (
        "xmr",
        "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt"
        "7f2wfn3RVGQBEP3B",
    ),
    ("iban", "GB82 WEST 1234 5698 7654 33"),
    ("onion", "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wie.onion"),
    ("email", "logo@2x.png"),
    ("phone", "call 020 7946 0958"),  # national number, no region hint: not reported
]


def found(text: str, region: str | None = None) -> set[tuple[str, str]]:
    return {
        (m.identifier.kind, m.identifier.value)
        for m in find_identifiers(text, FindContext(region=region))
    }


@pytest.mark.parametrize(("kind", "text", "value"), VALID)
def test_valid_identifiers_are_found(kind: str, text: str, value: str) -> None:
    assert (kind, value) in found(text)


@pytest.mark.parametrize(("kind", "text"), INVALID)
def test_invalid_identifiers_are_not_found(kind: str, text: str) -> None:
    assert not {k for k, _ in found(text)} & {kind}


def test_national_phone_numbers_need_a_region_hint() -> None:
    assert ("phone", "+33612345678") in found("06 12 34 56 78", region="FR")
    assert found("06 12 34 56 78") == set()


def test_spans_point_at_the_raw_text() -> None:
    text = "Pay 0.01 BTC to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa or mail a [at] b [dot] com"
    for mention in find_identifiers(text):
        assert text[mention.start : mention.end] == mention.raw


def test_page_domain_is_not_an_outbound_link() -> None:
    text = "https://www.shop.example.fr/a https://partner.example.de/b"
    mentions = find_identifiers(text, FindContext(page_domain="example.fr"))
    assert [m.identifier.value for m in mentions] == ["example.de"]


def test_keccak256_vectors() -> None:
    assert keccak256(b"").hex() == (
        "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    )
    assert keccak256(b"abc").hex() == (
        "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"
    )


FRAGMENTS = st.sampled_from(
    [
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
        "bc1q",
        "0x",
        "@",
        "[at]",
        "[dot]",
        "+33",
        "06 12",
        "t.me/",
        "wa.me/",
        ".onion",
        "UA-",
        "GTM-",
        "pub-",
        "IBAN",
        "GB82",
        "https://",
        "www.",
        " ",
        "\n",
        ".",
        ",",
        "-",
        "0",
        "9",
        "a",
        "Z",
        "é",
        "€",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(FRAGMENTS, max_size=40).map("".join) | st.text(max_size=400))
def test_never_crashes_and_never_returns_an_invalid_identifier(text: str) -> None:
    for mention in find_identifiers(text, FindContext(region="FR")):
        finder = validator(mention.identifier.kind)
        assert finder is not None
        assert finder.validate(mention.identifier.kind, mention.identifier.value)
        assert text[mention.start : mention.end] == mention.raw
