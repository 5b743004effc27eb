"""``netpatrol crawl``: collect web shops, ad platforms and markets into WARC evidence."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from netpatrol.workspace import Workspace

if TYPE_CHECKING:
    from netpatrol.crawl.seeds import Seeds

err = Console(stderr=True)
_workspace: list[Callable[[], Workspace]] = []


def _say(line: str) -> None:
    err.print(line, markup=False, highlight=False, soft_wrap=True)


def crawl(
    seeds: Annotated[
        list[str] | None,
        typer.Argument(
            help="Seed URLs, or files of one URL a line (optional 'proxy=URL', 'js=1'). With "
            "--recheck: only these seeds' sites, with their proxies."
        ),
    ] = None,
    max_pages: Annotated[int, typer.Option(help="Most pages fetched per seed site.")] = 1000,
    depth: Annotated[int, typer.Option(help="Most links followed from a seed.")] = 5,
    concurrency: Annotated[int, typer.Option(help="Parallel requests per domain.")] = 4,
    delay: Annotated[
        float, typer.Option(help="Seconds between requests to a domain (AutoThrottle's start).")
    ] = 0.5,
    autothrottle: Annotated[
        bool, typer.Option(help="Adapt the delay to the site's response times.")
    ] = True,
    user_agent: Annotated[str | None, typer.Option(help="User-Agent header sent.")] = None,
    ignore_robots: Annotated[
        bool,
        typer.Option(
            "--ignore-robots",
            help="Do not obey robots.txt. Only for authorised investigations: a site's "
            "robots.txt is obeyed by default, and ignoring it is logged in the audit trail.",
        ),
    ] = False,
    timeout: Annotated[float, typer.Option(help="Seconds before a download is abandoned.")] = 30,
    max_size: Annotated[
        float, typer.Option(help="Largest response kept, in MiB (after decompression).")
    ] = 32,
    retries: Annotated[int, typer.Option(help="Retries of 5xx, 429 and network errors.")] = 2,
    backoff: Annotated[
        float, typer.Option(help="Seconds before the first retry; doubled for each next one.")
    ] = 1.0,
    max_redirects: Annotated[int, typer.Option(help="Redirects followed per request.")] = 5,
    stall_timeout: Annotated[
        float, typer.Option(help="Watchdog: skip a domain without progress this many seconds.")
    ] = 120,
    progress_interval: Annotated[
        float, typer.Option(help="Seconds between progress lines on stderr.")
    ] = 10,
    strategy: Annotated[
        str, typer.Option(help="'focus' (listings, pagination, categories first) or 'bfs'.")
    ] = "focus",
    recheck: Annotated[
        bool,
        typer.Option(
            "--recheck",
            help="Re-fetch known listings and crawl seeds; record whether each is online, "
            "changed, removed, seized or unreachable (takedown tracking).",
        ),
    ] = False,
    site: Annotated[
        list[str] | None, typer.Option(help="With --recheck: only this site (repeatable).")
    ] = None,
    tor_proxy: Annotated[
        str | None,
        typer.Option(help="SOCKS5 proxy for .onion sites, e.g. socks5h://127.0.0.1:9050."),
    ] = None,
    tor_all: Annotated[
        bool, typer.Option("--tor-all", help="Send every request through --tor-proxy.")
    ] = False,
    js: Annotated[
        bool,
        typer.Option(
            "--js",
            help="Render every seed's pages in a headless chromium (JavaScript pages), as "
            "'js=1' does for one seed in a seed file. Needs the system's chromium (Debian: "
            "apt-get install chromium); the rendered DOM is stored as the page's evidence.",
        ),
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the summary as JSON (--recheck: JSON lines)."),
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", help="Scrapy's own log (INFO).")] = False,
) -> None:
    """Crawl seeds politely into WARC evidence + captures; re-running resumes a stopped crawl.

    Private, loopback, link-local and cloud-metadata addresses are refused unless the
    setting allow_private_networks is on (NETPATROL_ALLOW_PRIVATE_NETWORKS=1).
    """
    from netpatrol.crawl.options import DEFAULT_USER_AGENT, CrawlOptions
    from netpatrol.crawl.run import run_crawl, run_recheck
    from netpatrol.crawl.safety import allow_private_from_env
    from netpatrol.crawl.seeds import Seeds, parse_seeds
    from netpatrol.crawl.sites import registrable_domain
    from netpatrol.crawl.socks import parse_proxy

    if strategy not in {"focus", "bfs"}:
        raise typer.BadParameter("expected 'focus' or 'bfs'", param_hint="--strategy")
    for name, value in (("--max-pages", max_pages), ("--concurrency", concurrency),
                        ("--max-size", max_size), ("--timeout", timeout)):  # fmt: skip
        if value <= 0:
            raise typer.BadParameter("must be positive", param_hint=name)
    if tor_all and not tor_proxy:
        raise typer.BadParameter("needs --tor-proxy", param_hint="--tor-all")
    if tor_proxy:
        try:
            parse_proxy(tor_proxy)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--tor-proxy") from None
    if not seeds and not recheck:
        raise typer.BadParameter("give seed URLs or files, or --recheck", param_hint="SEEDS")
    if site and not recheck:
        raise typer.BadParameter("only with --recheck", param_hint="--site")
    parsed = parse_seeds(seeds) if seeds else Seeds()
    if js:
        parsed.js |= {registrable_domain(url) for url in parsed.urls}
    chromium = _browser_for(parsed, tor_proxy) if parsed.js else None
    ws = _workspace[0]()
    allow_private = bool(ws.settings["allow_private_networks"]) or allow_private_from_env()
    options = CrawlOptions(
        seeds=parsed.urls, max_pages=max_pages, depth=depth, concurrency=concurrency,
        delay=delay, autothrottle=autothrottle, user_agent=user_agent or DEFAULT_USER_AGENT,
        obey_robots=not ignore_robots, timeout=timeout, max_size=int(max_size * 1024 * 1024),
        retries=retries, backoff=backoff, max_redirects=max_redirects,
        stall_timeout=stall_timeout, progress_interval=progress_interval,
        focus=strategy == "focus", allow_private=allow_private,
        proxies=parsed.proxies, tor_proxy=tor_proxy, tor_all=tor_all,
        js=frozenset(parsed.js), chromium=chromium,
    )  # fmt: skip
    try:
        if ignore_robots:
            _say("robots.txt ignored (--ignore-robots): for authorised investigations only")
            ws.store.log_event("crawl.ignore_robots", detail={"seeds": parsed.urls})
        log_level = "INFO" if verbose else "ERROR"
        if recheck:
            sites = {s.lower() for s in site or []}
            sites |= {registrable_domain(url) for url in parsed.urls}
            summary, outcomes = run_recheck(ws, options, sites, _say, log_level)
        else:
            summary = run_crawl(ws, options, _say, log_level)
    finally:
        ws.close()
    if recheck:
        print_recheck(summary, [o.as_dict() for o in outcomes], as_json)
        raise typer.Exit(0 if summary["finish_reason"] == "finished" else 1)
    if as_json:
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    else:
        print_summary(summary)
    raise typer.Exit(0 if summary["finish_reason"] == "finished" else 1)


def _browser_for(parsed: Seeds, tor_proxy: str | None) -> str:
    """The chromium executable for js seeds, or a usage error saying what is missing."""
    from netpatrol.crawl.browser import BrowserUnavailable, require_browser

    if tor_proxy:
        raise typer.BadParameter("JavaScript rendering (js=1, --js) is not available through "
                                 "--tor-proxy yet", param_hint="--js")  # fmt: skip
    both = sorted(set(parsed.proxies) & parsed.js)
    if both:
        raise typer.BadParameter(f"{', '.join(both)}: js=1 with proxy= is not supported yet",
                                 param_hint="SEEDS")  # fmt: skip
    try:
        return require_browser()
    except BrowserUnavailable as exc:
        raise typer.BadParameter(str(exc), param_hint="--js") from None


def print_summary(summary: dict[str, Any]) -> None:
    from netpatrol.crawl.monitor import human_bytes

    out = Console()
    state = "resumed, " if summary["resumed"] else ""
    out.print(
        f"crawl {summary['finish_reason']} ({state}{summary['seconds']} s): "
        f"{summary['pages']} pages, {human_bytes(summary['bytes'])}"
        + (f", {summary['replayed']} replayed from evidence" if summary["replayed"] else ""),
        markup=False, highlight=False,
    )  # fmt: skip
    if summary["errors"]:
        out.print("errors: " + ", ".join(f"{k} {v}" for k, v in summary["errors"].items()),
                  markup=False, highlight=False)  # fmt: skip
    for domain in summary["skipped_domains"]:
        out.print(f"skipped by the watchdog: {domain}", markup=False, highlight=False)
    out.print(f"evidence: {summary['evidence_file']}", markup=False, highlight=False)


def print_recheck(summary: dict[str, Any], outcomes: list[dict[str, Any]], as_json: bool) -> None:
    """JSON lines (one per URL, then the summary), or counts and the URLs not online."""
    if as_json:
        for outcome in outcomes:
            sys.stdout.write(json.dumps(outcome, ensure_ascii=False) + "\n")
        sys.stdout.write(json.dumps({"summary": summary}) + "\n")
        return
    out = Console()
    found = summary["outcomes"]
    out.print(f"recheck {summary['finish_reason']}: {summary['urls']} URLs: "
              + ", ".join(f"{v} {k}" for k, v in found.items()),
              markup=False, highlight=False)  # fmt: skip
    for outcome in outcomes:
        if outcome["outcome"] != "online":
            why = f" ({outcome['reason']})" if outcome["reason"] else ""
            out.print(f"{outcome['outcome']:<12} {outcome['url']}{why}",
                      markup=False, highlight=False)  # fmt: skip


def register(app: typer.Typer, workspace: Callable[[], Workspace]) -> None:
    _workspace[:] = [workspace]
    app.command("crawl")(crawl)
