"""A generated patrol with known truth for the Link tests: planted networks that share
wallets, phones, e-mails, photos, texts and shop templates across sites, and decoys that
share only weak signals (ships-from, look-alike handles) or hub identifiers (a platform's
support address and analytics id, a generic shop theme). ``infrastructure`` adds sites
that share a TLS certificate, a favicon or a hosting address, with decoys (a CDN's
address and shared certificate, a platform's default favicon)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from netpatrol.model import Capture, Identifier, IdentifierMention, Listing
from netpatrol.store import Store
from netpatrol.store.evidence import EvidenceWriter
from netpatrol.store.listings import save_scan
from netpatrol.store.schema import CaptureRow, ImageRow

START = datetime(2026, 3, 1, tzinfo=UTC)
LONG_TEXT = (
    "Genuine ivory carvings and pangolin scales shipped discreetly worldwide from our "
    "workshop, payment in bitcoin only, tracking number within two days, bulk discount "
    "for resellers, ask for the full catalogue and wholesale price list today"
)


@dataclass
class Ad:
    site: str  # host name
    seller: str | None
    title: str
    ids: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""
    location: str | None = None
    template: str = "plain"
    day: int = 0
    meta: dict[str, str] = field(default_factory=dict)  # capture meta: ip_address, ...


def page(ad: Ad, number: int) -> bytes:
    """An HTML page in one of a few templates: a template is the tag structure."""
    if ad.template == "plain":
        body = f"<p>{ad.title}</p>"
    else:
        # Distinct class names per template, enough tag paths to be told apart.
        body = "".join(
            f'<div class="{ad.template}-block{i}"><span class="{ad.template}-label{i}">'
            f'{ad.title} {i}</span><a class="{ad.template}-link{i}" href="/x{i}">more</a>'
            f'<ul class="{ad.template}-list{i}"><li>{number}</li></ul></div>'
            for i in range(8)
        )
    return f"<html><head><title>{ad.title}</title></head><body>{body}</body></html>".encode()


def write_ads(store: Store, evidence_dir: Path, ads: list[Ad], first: int = 0) -> None:
    """Each ad as an HTML capture in the evidence, then its listing and identifiers."""
    writer = EvidenceWriter(evidence_dir)
    captures = []
    for number, ad in enumerate(ads, start=first):
        capture = Capture(
            url=f"https://{ad.site}/item/{number}",
            record_type="response",
            payload=page(ad, number),
            captured_at=START + timedelta(days=ad.day, minutes=number),
            content_type="text/html",
            http_status=200,
            meta=dict(ad.meta),
        )
        capture.evidence = writer.write(capture)
        captures.append(capture)
    writer.close()
    store.add_capture_batch([(None, c) for c in captures])
    with store.engine.connect() as connection:
        ids = dict(connection.execute(select(CaptureRow.key, CaptureRow.id)).all())
    results = []
    for capture, ad in zip(captures, ads, strict=True):
        text = " ".join(f"{kind} {value}" for kind, value in ad.ids) + " " + ad.text
        mentions = tuple(
            IdentifierMention(Identifier(kind, value), value, 0, len(value))
            for kind, value in ad.ids
        )
        listing = Listing(
            ad.title,
            text,
            capture.url,
            seller=ad.seller,
            location=ad.location,
            identifiers=mentions,
        )
        results.append((ids[capture.key], [listing]))
    save_scan(store, results)


# --- the truth ----------------------------------------------------------------------

MARKET_A, MARKET_B = "market-a.com", "www.market-b.org"
SUPPORT = ("email", "support@market-a.com")
PLATFORM_GA = ("google_analytics", "UA-777000-1")


def market_fillers() -> list[Ad]:
    """Ordinary sellers of two marketplaces: each with an own wallet, all with the
    platform's support address and analytics id (hubs), same short titles."""
    ads = []
    for i in range(24):
        market = MARKET_A if i % 2 == 0 else MARKET_B
        ids = [("btc", f"bc1qfiller{i:04d}"), SUPPORT]
        if market == MARKET_A:
            ids.append(PLATFORM_GA)
        ads.append(Ad(market, f"filler{i:02d}xyz"[::-1], "1g cocaine", ids, location="Berlin"))
    return ads


def planted() -> tuple[list[Ad], list[set[str]]]:
    """Ads of four planted networks and decoys; the networks as principal keys."""
    ads = market_fillers()
    # A: two marketplace accounts and a web shop; wallet and phone.
    ads += [
        Ad(MARKET_A, "alpha1", "Rhino horn", [("btc", "bc1qalphawallet"), SUPPORT, PLATFORM_GA]),
        Ad(MARKET_B, "AlphaTwo", "Rhino horn powder", [("phone", "+33612345678"), SUPPORT]),
        Ad("alpha-shop.com", None, "Horn", [("btc", "bc1qalphawallet"), ("phone", "+33612345678")]),
        Ad("alpha-shop.com", None, "Horn 2", [("email", "alpha@proton.me")], day=30),
    ]
    # B: three shops on the same distinctive template, one also sharing a photo.
    ads += [
        Ad("b-one.com", None, "Tiger skin", [("image_pdq", "ab" * 32)], template="kitb"),
        Ad("b-two.net", None, "Tiger claws", [("image_pdq", "ab" * 32)], template="kitb"),
        Ad("b-three.shop", None, "Tiger teeth", template="kitb", day=10),
    ]
    # C: accounts on two platforms with a shared e-mail and the same long text.
    ads += [
        Ad(MARKET_A, "charlie", "Ivory", [("email", "c.trader@mail.example.net")], LONG_TEXT),
        Ad(MARKET_B, "charlie_c", "Ivory!", [], LONG_TEXT.replace("today", "now"), day=5),
        Ad(MARKET_B, "chuck", "Ivory 2", [("email", "c.trader@mail.example.net")]),
    ]
    # D: a shop and an account sharing a product photo (near-duplicate PDQ cluster).
    ads += [
        Ad("d-shop.com", None, "Pangolin scales", [("image_pdq", "cd" * 32)]),
        Ad(MARKET_B, "delta", "Scales", [("image_pdq", "cd" * 32), SUPPORT]),
    ]
    # Decoys: weak signals only (same place, look-alike handles on two platforms)...
    ads += [
        Ad(MARKET_A, "greenleaf", "Orchids", [("btc", "bc1qgreen1")], location="Lyon"),
        Ad(MARKET_B, "greenleaf1", "Orchids", [("btc", "bc1qgreen2")], location="Lyon"),
    ]
    # ... and ten shops on a generic theme (a hub with max_holders=8), own wallets.
    ads += [
        Ad(f"generic{i}.com", None, "Parrot", [("eth", f"0x{i:040x}")], template="theme")
        for i in range(10)
    ]
    truth = [
        {f"seller:{MARKET_A}/alpha1", "seller:market-b.org/alphatwo", "site:alpha-shop.com"},
        {"site:b-one.com", "site:b-two.net", "site:b-three.shop"},
        {
            f"seller:{MARKET_A}/charlie",
            "seller:market-b.org/charlie_c",
            "seller:market-b.org/chuck",
        },
        {"site:d-shop.com", "seller:market-b.org/delta"},
    ]
    return ads, truth


# --- infrastructure: certificates, favicons, hosting addresses ------------------------


@dataclass
class Icon:
    """An image capture of a site, hashed as the Images stage would store it."""

    url: str
    md5: str
    cluster: str | None = None


def write_icons(store: Store, evidence_dir: Path, icons: list[Icon]) -> None:
    writer = EvidenceWriter(evidence_dir)
    captures = []
    for number, icon in enumerate(icons):
        capture = Capture(
            url=icon.url,
            record_type="response",
            payload=f"icon {icon.url} {icon.md5}".encode(),
            captured_at=START + timedelta(hours=number),
            content_type="image/x-icon",
            http_status=200,
        )
        capture.evidence = writer.write(capture)
        captures.append(capture)
    writer.close()
    store.add_capture_batch([(None, c) for c in captures])
    with store.engine.connect() as connection:
        ids = dict(connection.execute(select(CaptureRow.key, CaptureRow.id)).all())
    rows = [
        {
            "capture_id": ids[capture.key],
            "url": icon.url,
            "md5": icon.md5,
            "sha256": hashlib.sha256(icon.md5.encode()).hexdigest(),
            "pdq_cluster": icon.cluster,
            "created_at": START,
        }
        for capture, icon in zip(captures, icons, strict=True)
    ]
    with store.session() as session, session.begin():
        session.execute(insert(ImageRow), rows)


CERT_E = "e" * 64
CDN_CERT, CDN_IP, CLOUDFLARE_IP = "c" * 64, "203.0.113.80", "104.16.1.1"
DEFAULT_ICON = "d" * 32


def infrastructure() -> tuple[list[Ad], list[Icon], list[set[str]]]:
    """Sites joined by what their servers show, and decoys; the networks to find."""

    def shop(site: str, **meta: str) -> Ad:
        return Ad(site, None, f"Item of {site}", [("btc", f"bc1q{site}")], meta=meta)

    ads = [
        # E: two shops serving one certificate (issued for both), on one address too.
        shop("e-one.com", tls_certificate_sha256=CERT_E, ip_address="198.51.100.31"),
        shop("e-two.net", tls_certificate_sha256=CERT_E.upper(), ip_address="198.51.100.31"),
        # ... and e-one's address elsewhere shared with an unrelated shop: weak, shown.
        shop("e-one.com", ip_address="198.51.100.30"),
        shop("h-three.com", ip_address="198.51.100.30"),
        # F: a shop and a small forum's only seller with the same favicon.
        shop("f-shop.com"),
        Ad("f-forum.org", "fred", "Horn", [("btc", "bc1qfred")]),
        # G: two shops whose favicons are near-duplicates (one PDQ cluster).
        shop("g-one.com"),
        shop("g-two.com"),
        # Decoys: two shops on one address only (weak: never joined)...
        shop("h-one.com", ip_address="198.51.100.20"),
        shop("h-two.com", ip_address="198.51.100.20"),
        # ... two on a listed CDN's address...
        shop("cf-one.com", ip_address=CLOUDFLARE_IP),
        shop("cf-two.com", ip_address=CLOUDFLARE_IP),
        # ... two sharing an ordinary image that is no favicon.
        shop("n-one.com"),
        shop("n-two.com"),
    ]
    # ... and ten shops behind one CDN: its address and its shared certificate (hubs by
    # frequency with max_holders=8), and ten more on a platform's default favicon.
    ads += [
        shop(f"cdn{i}.com", ip_address=CDN_IP, tls_certificate_sha256=CDN_CERT) for i in range(10)
    ]
    ads += [shop(f"wp{i}.com") for i in range(10)]
    icons = [
        Icon("https://f-shop.com/favicon.ico", "f" * 32),
        Icon("https://www.f-forum.org/static/favicon-32x32.png", "f" * 32),
        Icon("https://g-one.com/favicon.png", "1" * 32, cluster="9" * 64),
        Icon("https://g-two.com/favicon.ico", "2" * 32, cluster="9" * 64),
        Icon("https://n-one.com/img/logo.png", "a" * 32),
        Icon("https://n-two.com/img/logo.png", "a" * 32),
        *(Icon(f"https://wp{i}.com/favicon.ico", DEFAULT_ICON) for i in range(10)),
    ]
    truth = [
        {"site:e-one.com", "site:e-two.net"},
        {"site:f-shop.com", "seller:f-forum.org/fred"},
        {"site:g-one.com", "site:g-two.com"},
    ]
    return ads, icons, truth
