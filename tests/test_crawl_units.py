"""Crawler pieces without a crawl: address safety, link priorities, seeds, errors."""

from __future__ import annotations

import asyncio
import ipaddress
from pathlib import Path

import pytest

from netpatrol.crawl.focus import link_priority
from netpatrol.crawl.safety import RefusedAddress, allow_private_from_env, check_url, why_refused
from netpatrol.crawl.seeds import parse_seeds
from netpatrol.crawl.sites import registrable_domain
from netpatrol.errors import InputError


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback address"),
        ("::1", "loopback address"),
        ("10.1.2.3", "private address"),
        ("192.168.0.10", "private address"),
        ("172.16.5.4", "private address"),
        ("100.64.0.1", "private address"),
        ("169.254.169.254", "cloud metadata service"),
        ("100.100.100.200", "cloud metadata service"),
        ("fd00:ec2::254", "cloud metadata service"),
        ("169.254.1.1", "link-local address"),
        ("fe80::1", "link-local address"),
        ("::ffff:10.0.0.1", "private address"),
        ("0.0.0.0", "private address"),
        ("224.0.0.1", "reserved address"),
        ("93.184.215.14", None),
        ("2606:4700::1111", None),
    ],
)
def test_addresses_refused(address: str, reason: str | None) -> None:
    assert why_refused(ipaddress.ip_address(address)) == reason


def test_urls_are_checked_after_resolution() -> None:
    with pytest.raises(RefusedAddress, match="loopback"):
        asyncio.run(check_url("http://localhost:8080/x"))
    with pytest.raises(RefusedAddress, match="metadata"):
        asyncio.run(check_url("http://169.254.169.254/latest/meta-data/"))
    asyncio.run(check_url("http://abcdefghijklmnop.onion/"))  # left to the Tor proxy


def test_allow_private_from_environment() -> None:
    assert allow_private_from_env({"NETPATROL_ALLOW_PRIVATE_NETWORKS": "1"})
    assert not allow_private_from_env({})


def test_listing_pagination_and_categories_come_before_off_topic_links() -> None:
    listing = link_priority("https://shop.example/listing/12", "Perroquet gris du Gabon")
    page = link_priority("https://shop.example/category/birds?page=2", "Next page")
    category = link_priority("https://shop.example/category/birds", "Birds")
    blog = link_priority("https://shop.example/blog/our-story", "Our story")
    about = link_priority("https://shop.example/about", "About us")
    assert listing > blog and page > blog and category > about
    # The detection rules raise an offer named in the anchor text.
    ivory = link_priority("https://shop.example/x/1", "Carved ivory bracelet, elephant tusk")
    plain = link_priority("https://shop.example/x/2", "Wooden bracelet, hand carved")
    assert ivory > plain


def test_seed_files_with_comments_and_proxies(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds.txt"
    seeds.write_text(
        "# watch list\nhttps://shop.example.co.uk/fr/  # a shop\n"
        "http://market.example.org proxy=http://127.0.0.1:3128\n\n",
        encoding="utf-8",
    )
    parsed = parse_seeds([str(seeds), "https://other.example/"])
    assert parsed.urls == ["https://shop.example.co.uk/fr/", "http://market.example.org/",
                           "https://other.example/"]  # fmt: skip
    assert parsed.proxies == {"example.org": "http://127.0.0.1:3128"}
    assert registrable_domain("https://a.b.shop.example.co.uk/x") == "example.co.uk"
    with pytest.raises(InputError, match="not an absolute"):
        parse_seeds(["ftp://x.example/"])
    bad = tmp_path / "bad.txt"
    bad.write_text("https://x.example/ cookie=1\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown seed option"):
        parse_seeds([str(bad)])


def test_certificate_fingerprint_is_the_sha256_of_the_der() -> None:
    import hashlib

    from netpatrol.crawl.middlewares import certificate_sha256

    class Certificate:
        def dump(self) -> bytes:
            return b"0\x82der-bytes"

    class Response:
        certificate = Certificate()

    assert certificate_sha256(Response()) == hashlib.sha256(b"0\x82der-bytes").hexdigest()
    assert certificate_sha256(object()) is None
