"""Contacts: e-mail (plain and obfuscated), phone numbers with and without a region hint,
WhatsApp links, Telegram accounts and invites."""

from __future__ import annotations

import pytest

from netpatrol.extract.identifiers import FindContext, find_identifiers


def found(text: str, region: str | None = None) -> set[tuple[str, str]]:
    return {
        (m.identifier.kind, m.identifier.value)
        for m in find_identifiers(text, FindContext(region=region))
    }


EMAILS = [
    ("write to dealer@example.com today", "dealer@example.com", "dealer@example.com"),
    ("Mail: First.Last+ivory@Mail.Example.CO.UK.", "first.last+ivory@mail.example.co.uk", None),
    ("mailto:Info@Shop.DE", "info@shop.de", "Info@Shop.DE"),
    ("vendeur [at] exemple [dot] fr", "vendeur@exemple.fr", "vendeur [at] exemple [dot] fr"),
    ("Contact: Jan(at)handel(punkt)de", "jan@handel.de", "Jan(at)handel(punkt)de"),
    ("seller (AT) shop (DOT) com", "seller@shop.com", None),
    ("x <at> y <dot> co <dot> uk", "x@y.co.uk", None),
    ("name{at}domain.org", "name@domain.org", None),
    ("john [at] gmail dot com.", "john@gmail.com", "john [at] gmail dot com"),
    ("ventes @ boutique.fr", "ventes@boutique.fr", "ventes @ boutique.fr"),
    ("name@domain[dot]com", "name@domain.com", None),
    ("x (@) y.com", "x@y.com", None),
]


@pytest.mark.parametrize(("text", "value", "raw"), EMAILS)
def test_emails_plain_and_obfuscated(text: str, value: str, raw: str | None) -> None:
    mentions = [m for m in find_identifiers(text) if m.identifier.kind == "email"]
    assert [m.identifier.value for m in mentions] == [value]
    if raw is not None:
        assert mentions[0].raw == raw


@pytest.mark.parametrize(
    "text",
    [
        "logo@2x.png",  # an image name
        "icon@3x.webp",
        "meet me at home dot com",  # prose: "at" without brackets
        "me@home dot com",  # an unbracketed "dot" only after an obfuscated "at"
        "ftp://user:password@files.example.com",  # URL credentials
        "https://0123abcd@o1.ingest.sentry.io/42",  # a DSN key, not a mailbox
        "\\u002fkey@example.com",  # an escaped character glued to the local part
        "a..b@example.com",
        ".a@example.com",
        "user@localhost",
        "user@example.notatld",
        "@@@",
    ],
)
def test_not_emails(text: str) -> None:
    assert {k for k, _ in found(text)} & {"email"} == set()


PHONES = [
    ("call +44 20 7946 0958", None, "+442079460958", "+44 20 7946 0958"),
    ("call +44 (0)20 7946 0958 now", None, "+442079460958", "+44 (0)20 7946 0958"),
    ("Tel. 0049 30 901820", None, "+4930901820", "0049 30 901820"),
    ("Tel. 0049 30 901820", "US", "+4930901820", "0049 30 901820"),
    ("(+33) 6 12 34 56 78", None, "+33612345678", "(+33) 6 12 34 56 78"),
    ("tel:+37167070767", None, "+37167070767", "+37167070767"),
    ("06 12 34 56 78", "FR", "+33612345678", "06 12 34 56 78"),
    ("06 12 34 56 78", "fr", "+33612345678", "06 12 34 56 78"),
    ("Tel: 0612345678", "FR", "+33612345678", "0612345678"),
    ("☎0612345678", "FR", "+33612345678", "0612345678"),
    ("Tel 030/901820", "DE", "+4930901820", "030/901820"),
    ("Tel.: 02 9876 5432", "AU", "+61298765432", "02 9876 5432"),
    ("call 020 7946 0958", "UK", "+442079460958", "020 7946 0958"),  # ccTLD, not ISO
]


@pytest.mark.parametrize(("text", "region", "value", "raw"), PHONES)
def test_phone_numbers(text: str, region: str | None, value: str, raw: str) -> None:
    mentions = find_identifiers(text, FindContext(region=region))
    assert [(m.identifier.kind, m.identifier.value, m.raw) for m in mentions] == [
        ("phone", value, raw)
    ]


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("06 12 34 56 78", None),  # national, and no region to read it
        ("call 020 7946 0958", None),
        ("06 12 34 56 78", "XX"),  # not a region phonenumbers knows
        ("ref 0612345678", "FR"),  # ten bare digits without a word for a phone: an id
        ("hotel 0612345678", "FR"),  # "tel" inside another word is not that word
        ("z-index:2147483647;", "US"),
        ('"id":"9834170005"', "US"),
        ('ga("create","UA-27338864-15","auto")', "US"),  # an analytics id
        ("EAN 4006381333931", "DE"),
        ("abc06 12 34 56 78", "FR"),  # glued to a word
        ("https://shop.example/item/0612345678", "FR"),  # part of a URL path
        ("Preis 1.234.567 EUR", "DE"),
        ("+33 6 12 34 56 78 90 12", None),  # too many digits
        ("+33 7 12 34 56 78", None),  # not an allocated range
        ("1" * 400, "FR"),
        ('"mask": "+7 (999) 999-99-99"', None),  # an input mask
        # Dates: two shops showing the same one would share a "phone".
        ("Lieferung am 03.01.2025", "DE"),
        ("Konec aukce 20. 3. 2025 21:00", "CZ"),
    ],
)
def test_not_phone_numbers(text: str, region: str | None) -> None:
    assert {k for k, _ in found(text, region)} & {"phone"} == set()


def test_several_numbers_in_one_run() -> None:
    text = "Tel 06 12 34 56 78 / 06 98 76 54 32"
    assert [m.identifier.value for m in find_identifiers(text, FindContext(region="FR"))] == [
        "+33612345678",
        "+33698765432",
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("https://wa.me/33612345678", "+33612345678"),
        ("https://wa.me/+33612345678?text=hello", "+33612345678"),
        ("api.whatsapp.com/send?phone=4915123456789&text=hi", "+4915123456789"),
        ("https://api.whatsapp.com/send/?phone=4915123456789", "+4915123456789"),
        ("whatsapp://send?text=hi&phone=%2B33612345678", "+33612345678"),
    ],
)
def test_whatsapp_links(text: str, value: str) -> None:
    # The number inside the link is the link's, not also a phone mention.
    assert found(text, region="FR") == {("whatsapp", value)}


@pytest.mark.parametrize(
    "text", ["wa.me/message/ABCDEF", "wa.me/123", "wa.me/33712345678", "wa.me/79999999999"]
)
def test_not_whatsapp_numbers(text: str) -> None:
    assert found(text, region="FR") == set()


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("t.me/Pharma_Direct", "telegram", "pharma_direct"),
        ("https://t.me/s/ivory_news", "telegram", "ivory_news"),
        ("T.ME/BigShop", "telegram", "bigshop"),
        ("https://telegram.me/seller_bot", "telegram", "seller_bot"),
        ("tg://resolve?domain=seller_bot", "telegram", "seller_bot"),
        ("Telegram: @ivory_trader", "telegram", "ivory_trader"),
        ("contact on telegram (fast reply) @Seller123", "telegram", "seller123"),
        ("TG @horn_shop", "telegram", "horn_shop"),
        ("t.me/joinchat/AAAAAEHbEkejzxUjAUCzYA", "telegram_invite", "AAAAAEHbEkejzxUjAUCzYA"),
        ("https://t.me/+AbCdEfGh12345678", "telegram_invite", "AbCdEfGh12345678"),
    ],
)
def test_telegram(text: str, kind: str, value: str) -> None:
    assert found(text) == {(kind, value)}


@pytest.mark.parametrize(
    "text",
    [
        "Instagram: @ivory_trader",  # an @name without Telegram nearby
        "Telegram: @abcd",  # too short
        "TG @abcde_",  # ends with "_"
        "Telegram: @1abcde",  # starts with a digit
        "t.me/joinchat",  # a feature path, not an account
        "t.me/+4915123456789",  # a phone number link, not an invite
        "at.me/whatever",
        "telegram: @mail.com",
    ],
)
def test_not_telegram(text: str) -> None:
    assert {k for k, _ in found(text)} & {"telegram", "telegram_invite"} == set()
