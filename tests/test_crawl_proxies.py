"""Tor and proxies: .onion through a local SOCKS5 proxy, a seed's site through an HTTP proxy."""

from __future__ import annotations

from pathlib import Path

from sites.crawling import FAST, captured, run_crawl
from sites.proxies import HttpProxyServer, SocksServer, serve

from netpatrol.demo.market import serve_market

ONION = "marketxyzabcdefghijklmnopqrstuvwxyz234567abcdefghijklmnop.onion"


def test_onion_urls_go_through_the_socks_proxy_with_remote_dns(workspace: Path) -> None:
    socks = SocksServer()
    with serve_market() as market, serve(socks):
        port = market.server_address[1]
        seed = f"http://{ONION}:{port}/category/wildlife"
        result = run_crawl(
            workspace, seed, *FAST, "--depth", "1", "--tor-proxy", socks.url, allow_private=False
        )
    assert result.code == 0, result.err
    summary = result.summary()
    assert summary["errors"] == {}
    urls = [url for url, status in captured(workspace) if status == 200]
    assert f"http://{ONION}:{port}/robots.txt" in urls  # robots.txt through Tor as well
    assert sum("/listing/" in url for url in urls) == 4
    # The proxy was asked for the name (never resolved here), once per connection.
    assert {host for host, _ in socks.connects} == {ONION}
    assert market.config.hits["/category/wildlife"] == 1


def test_onion_without_tor_proxy_is_not_fetched(workspace: Path) -> None:
    result = run_crawl(workspace, f"http://{ONION}/", *FAST)
    assert result.code == 0, result.err
    assert result.summary()["errors"] == {"onion without --tor-proxy": 1}


def test_tor_all_sends_clearnet_through_the_proxy_too(workspace: Path) -> None:
    socks = SocksServer()
    with serve_market() as market, serve(socks):
        seed = market.url + "/listing/1"
        result = run_crawl(workspace, seed, *FAST, "--max-pages", "2", "--tor-proxy", socks.url,
                           "--tor-all")  # fmt: skip
    assert result.code == 0, result.err
    assert result.summary()["pages"] == 3  # robots.txt, the listing, one more
    assert {host for host, _ in socks.connects} == {"127.0.0.1"}


def test_dead_socks_proxy_is_an_error_not_a_leak(workspace: Path) -> None:
    socks = SocksServer()
    socks.server_close()  # a closed port: nothing listens there
    with serve_market() as market:
        result = run_crawl(
            workspace, market.url + "/", *FAST, "--retries", "0", "--tor-proxy", socks.url,
            "--tor-all",
        )  # fmt: skip
        hits = sum(market.config.hits.values())
    assert result.code == 0, result.err
    assert hits == 0
    assert result.summary()["pages"] == 0


def test_seed_proxy_from_the_seed_file(workspace: Path, tmp_path: Path) -> None:
    proxy = HttpProxyServer()
    with serve_market() as market, serve(proxy):
        seeds = tmp_path / "seeds.txt"
        seeds.write_text(f"{market.url}/listing/2 proxy={proxy.url}\n", encoding="utf-8")
        result = run_crawl(workspace, str(seeds), *FAST, "--max-pages", "1")
    assert result.code == 0, result.err
    assert result.summary()["pages"] == 2
    # robots.txt too: the spider never sees it, the gate routes it like any request.
    assert proxy.requests == [f"{market.url}/robots.txt", f"{market.url}/listing/2"]
