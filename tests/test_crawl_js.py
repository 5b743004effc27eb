"""JavaScript pages: seeds with ``js=1`` rendered by the system's chromium (scrapy-playwright).

The end-to-end tests need Debian's chromium: without it they are skipped with a reason,
except under ``CI=true`` where they fail (run the tests through scripts/with-chromium.sh,
which installs it). The rest runs everywhere.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CliRunner
from sites.crawling import FAST, captured, run_crawl
from warcio.archiveiterator import ArchiveIterator

from netpatrol.crawl.browser import (
    CHROMIUM_ENV,
    RENDERED_HEADER,
    RENDERED_WARC,
    BrowserUnavailable,
    refuse_private_subrequest,
    require_browser,
)
from netpatrol.crawl.seeds import parse_seeds
from netpatrol.demo.market import serve_market


def _browser_missing() -> str | None:
    if os.environ.get("NETPATROL_NO_CHROMIUM") == "1":
        return "NETPATROL_NO_CHROMIUM=1 is set"
    try:
        require_browser()
    except BrowserUnavailable as exc:
        return str(exc)
    return None


def needs_chromium() -> None:
    missing = _browser_missing()
    if missing is None:
        return
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"CI=true but {missing}: run the tests through scripts/with-chromium.sh")
    pytest.skip(f"chromium not installed ({missing}); scripts/with-chromium.sh installs it")


# What the JavaScript of /js/wildlife builds from its inline JSON (listings 1-4).
TITLES = {
    "Carved ivory bracelet, elephant tusk #1",
    "Perroquet gris du Gabon à vendre #2",
    "Landschildkröte Testudo hermanni abzugeben #3",
    "Pangolin scales 1 kg #4",
}


@dataclass
class Found:
    url: str
    title: str
    price: float | None


def listings_of(workspace: Path, path: str) -> list[Found]:
    with sqlite3.connect(workspace / "netpatrol.db") as db:
        rows = db.execute(
            "SELECT c.url, l.title, l.price FROM listings l JOIN captures c "
            "ON c.id = l.capture_id ORDER BY l.id"
        ).fetchall()
    return [Found(str(u), str(t), p) for u, t, p in rows if str(u).endswith(path)]


def rendered_records(workspace: Path, evidence_file: str) -> dict[str, str | None]:
    """URL -> the WARC-Netpatrol-Rendered field of each response record."""
    found: dict[str, str | None] = {}
    with (workspace / "evidence" / evidence_file).open("rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type == "response":
                url = record.rec_headers.get_header("WARC-Target-URI")
                found[url] = record.rec_headers.get_header(RENDERED_WARC)
    return found


def _seed_file(tmp_path: Path, *lines: str) -> str:
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(seeds)


def test_js_seed_is_rendered_and_scan_finds_the_script_built_listings(
    workspace: Path, cli: CliRunner, tmp_path: Path
) -> None:
    needs_chromium()
    with serve_market() as market:
        page = f"{market.url}/js/wildlife"
        # Another site (localhost) in the same crawl, without js=1: plain downloader.
        plain = market.url.replace("127.0.0.1", "localhost") + "/js/counterfeit"
        seeds = _seed_file(tmp_path, f"{page} js=1", plain)
        result = run_crawl(workspace, seeds, *FAST, "--depth", "1", "--max-pages", "1")
    assert result.code == 0, result.err
    summary = result.summary()
    assert summary["errors"] == {}
    urls = {url for url, status in captured(workspace) if status == 200}
    assert page in urls and plain in urls

    records = rendered_records(workspace, summary["evidence_file"])
    assert (records[page] or "").startswith("chromium")
    assert records[plain] is None  # not a js seed's site
    assert records[market.url + "/robots.txt"] is None  # robots.txt never rendered
    with sqlite3.connect(workspace / "netpatrol.db") as db:
        headers, meta = db.execute(
            "SELECT http_headers, meta FROM captures WHERE url = ?", (page,)
        ).fetchone()
    assert RENDERED_HEADER in headers and '"rendered": "chromium' in meta

    assert cli("-w", workspace, "verify").code == 0
    scan = cli("-w", workspace, "scan")
    assert scan.code == 0, scan.err
    found = listings_of(workspace, "/js/wildlife")
    assert {f.title for f in found} == TITLES
    assert all(f.price for f in found)
    # The plain site's page was not rendered: its cards were never built.
    assert not any(f.price for f in listings_of(workspace, "/js/counterfeit"))


def test_without_js_the_script_built_listings_are_not_found(
    workspace: Path, cli: CliRunner
) -> None:
    with serve_market() as market:
        result = run_crawl(workspace, f"{market.url}/js/wildlife", *FAST, "--depth", "1")
    assert result.code == 0, result.err
    assert result.summary()["pages"] == 2  # robots.txt and the page: no listing link seen
    assert cli("-w", workspace, "scan").code == 0
    found = listings_of(workspace, "/js/wildlife")
    assert not {f.title for f in found} & TITLES
    assert not any(f.price for f in found)


def test_js_flag_renders_every_seed(workspace: Path) -> None:
    needs_chromium()
    with serve_market() as market:
        result = run_crawl(workspace, f"{market.url}/js/medicine", *FAST, "--js",
                           "--depth", "1", "--max-pages", "3")  # fmt: skip
    assert result.code == 0, result.err
    urls = {url for url, status in captured(workspace) if status == 200}
    # The links exist only in the rendered page; the listings they lead to are rendered too.
    assert sum("/listing/" in url for url in urls) == 2
    records = rendered_records(workspace, result.summary()["evidence_file"])
    assert all(records[url] for url in urls if "/listing/" in url)


def test_js_page_at_a_private_address_never_reaches_the_browser(workspace: Path) -> None:
    needs_chromium()
    with serve_market() as market:
        result = run_crawl(workspace, f"{market.url}/js/wildlife", *FAST, "--js",
                           allow_private=False)  # fmt: skip
        hits = sum(market.config.hits.values())
    assert result.code == 0, result.err
    assert result.summary()["errors"] == {"refused address": 1}
    assert hits == 0


def test_missing_chromium_is_a_clear_usage_error(
    workspace: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CHROMIUM_ENV, "/nonexistent/chromium")
    # In-process: the check comes before any crawl starts (no reactor, no workspace open).
    result = cli("-w", workspace, "crawl", "http://127.0.0.1:9/", "--js")
    assert result.code == 2
    assert "apt-get install chromium" in result.err


def test_js_with_tor_or_a_seed_proxy_is_refused(
    workspace: Path, cli: CliRunner, tmp_path: Path
) -> None:
    seeds = _seed_file(tmp_path, "http://127.0.0.1:9/ js=1 proxy=http://127.0.0.1:8")
    result = cli("-w", workspace, "crawl", seeds)
    assert result.code == 2 and "not supported" in result.err
    result = cli("-w", workspace, "crawl", "http://127.0.0.1:9/", "--js", "--tor-proxy",
                 "socks5h://127.0.0.1:9050")  # fmt: skip
    assert result.code == 2 and "--tor-proxy" in result.err


def test_seed_option_js(tmp_path: Path) -> None:
    seeds = _seed_file(tmp_path, "https://shop.example.com/a js=1",
                       "https://other.example.org/ js=0", "https://third.example.net/")  # fmt: skip
    parsed = parse_seeds([seeds])
    assert parsed.js == {"example.com"}
    assert len(parsed.urls) == 3
    with pytest.raises(Exception, match="unknown seed option"):
        parse_seeds([_seed_file(tmp_path, "https://a.example.com/ js=maybe")])


@dataclass
class _Subrequest:
    url: str


@pytest.mark.parametrize(
    ("url", "aborted"),
    [
        ("http://127.0.0.1:8080/api", True),
        ("http://169.254.169.254/latest/meta-data/", True),
        ("https://10.1.2.3/x.js", True),
        ("http://[::1]/", True),
        ("https://93.184.215.14/app.js", False),
        ("data:text/plain,hello", False),
    ],
)
def test_browser_subrequests_to_private_addresses_are_aborted(url: str, aborted: bool) -> None:
    assert asyncio.run(refuse_private_subrequest(_Subrequest(url))) is aborted
