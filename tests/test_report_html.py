"""The HTML report: one offline file with the press figures, escaped data, an evidence
anchor per finding, and charts that draw and filter in a real browser (Debian's chromium;
skipped with a reason without it, failing under CI=true)."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path

from report_fixtures import sample_report
from test_crawl_js import needs_chromium

from netpatrol.crawl.browser import find_chromium
from netpatrol.report.data import ReportData
from netpatrol.report.html import HtmlWriter, format_amount, format_eur, format_number, render_html

HOSTILE = "</script><script>alert(1)</script>"
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-extensions", "--no-first-run"]  # fmt: skip
DATA_SCRIPT = re.compile(r'<script type="application/json" id="report-data">(.*?)</script>', re.S)


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of each <script>."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data

    def ids(self) -> set[str]:
        return {a["id"] or "" for _, a in self.tags if "id" in a}


def embedded(page: str) -> dict[str, object]:
    found = DATA_SCRIPT.search(page)
    assert found, "no embedded report data"
    data: dict[str, object] = json.loads(found.group(1))
    return data


def hostile_report() -> ReportData:
    report = sample_report()
    report.title = HOSTILE
    first = report.findings[0]
    report.findings[0] = dataclasses.replace(
        first,
        title=f'"><img src=x onerror=alert(2)>{HOSTILE}',
        url=f"https://evil.example/?q={HOSTILE}&x=\"'><svg onload=alert(3)>",
        seller="<!-- comment --> \u2028",
    )
    report.notes.append(HOSTILE)
    return report


def test_figures_as_press_releases_quote_them() -> None:
    page = render_html(sample_report())
    for text in (
        "Sites identified", "Listings removed", "Specimens / items", "Value offered",
        "Median time to takedown", "48.0 h", "1 of 2", "2,386.50", "1,200",
        "Parcels inspected", "Seizures", "Arrests", "pangea-test",
        "2026-10-05 00:00 UTC", "France (FR), Germany (DE)",
        "CITES checklist 2013; GeoLite2 Country 2024-06-18; EUR rates 2026-11-01",
        "Specimens are a lower bound", "EUR 1,245.00", "Psittacus erithacus",
        "referrals/pangea-test/001-pharos", "seller:jean.dupont", "PHAROS", "0.0012 BTC",
    ):  # fmt: skip
        assert text in page, text
    assert "Buy Viagra 100mg no prescription &lt;b&gt;cheap&lt;/b&gt;" in page
    assert "<b>cheap</b>" not in page


def test_number_formatting_is_english_and_consistent() -> None:
    assert format_number(1234567) == "1,234,567"
    assert format_number(2.5) == "2.5"
    assert format_number(float("nan")) == "n/a"
    assert format_eur(2386.5) == "EUR 2,386.50"
    assert format_amount(0.0012) == "0.0012" and format_amount(1200.0) == "1,200"
    report = sample_report()
    report.totals["value_eur"] = 2_012_345.678
    page = render_html(report)
    # The card rounds a large sum as press releases do; the exact sum stays on hover.
    assert "<small>EUR</small> 2,012,346" in page and 'title="EUR 2,012,345.68"' in page


def test_hostile_text_cannot_break_out() -> None:
    report = hostile_report()
    page = render_html(report)
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page and "<svg onload" not in page
    parsed = Elements(page)
    assert [t for t, _ in parsed.tags].count("script") == 2  # the data and the report's code
    assert [t for t, _ in parsed.tags].count("img") == 0
    assert not [(t, a) for t, a in parsed.tags for name in a if name.startswith("on")]
    data = embedded(page)
    assert data["title"] == HOSTILE  # escaped for HTML, intact for the script
    findings = data["findings"]
    assert isinstance(findings, list)
    assert findings[0]["seller"] == "<!-- comment --> \u2028"
    assert "\u2028" not in DATA_SCRIPT.search(page).group(1)  # type: ignore[union-attr]


def test_no_external_resources() -> None:
    page = render_html(hostile_report())
    parsed = Elements(page)
    for tag, attrs in parsed.tags:
        for name in ("src", "href", "srcset", "data", "action", "poster"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//")), (tag, name, value)
    # The finding's URL is evidence shown as text, never a link a press office could follow.
    assert not [a for t, a in parsed.tags if t == "a" and "evil.example" in (a.get("href") or "")]
    assert "@import" not in page and "url(http" not in page
    csp = [a for t, a in parsed.tags if t == "meta" and a.get("http-equiv")]
    assert csp and "default-src 'none'" in (csp[0].get("content") or "")


def test_every_finding_has_its_evidence_anchor() -> None:
    report = sample_report()
    page = render_html(report)
    parsed = Elements(page)
    links = {a.get("href") for t, a in parsed.tags if t == "a"}
    for finding in report.findings:
        anchor = f"finding-{finding.listing_id}"
        assert anchor in parsed.ids() and f"#{anchor}" in links
        block = page.split(f'id="{anchor}"', 1)[1].split("</tbody>", 1)[0]
        for text in (finding.sha256, finding.evidence_file, str(finding.evidence_offset),
                     finding.warc_record_id or "", "2026-10-06 09:30 UTC"):  # fmt: skip
            assert text.replace("<", "&lt;").replace(">", "&gt;") in block, (anchor, text)
        for item in finding.evidence:
            assert item.kind in block and f"[{item.start}&ndash;{item.end}]" in block
        for _, value in finding.identifiers:
            assert value in block


def test_writer_writes_atomically_and_reports_bad_numbers(tmp_path: Path) -> None:
    assert HtmlWriter.suffix == ".html"
    out = tmp_path / "deep" / "report.html"
    assert HtmlWriter().write(sample_report(), out) == []
    first = out.read_text(encoding="utf-8")
    assert out.stat().st_mode & 0o777 == 0o644  # not mkstemp's private 0600
    report = sample_report()
    report.totals["value_eur"] = math.nan
    warnings = HtmlWriter().write(report, out)
    assert any("value_eur" in w for w in warnings)
    assert sorted(p.name for p in out.parent.iterdir()) == ["report.html"]  # no temp left
    totals = embedded(out.read_text(encoding="utf-8"))["totals"]
    assert isinstance(totals, dict) and totals["value_eur"] is None
    assert first != out.read_text(encoding="utf-8")


def empty_report() -> ReportData:
    report = sample_report()
    for name in ("by_country", "by_category", "by_platform", "by_species", "by_appendix",
                 "top_sites", "top_networks", "referrals", "offline", "findings"):  # fmt: skip
        setattr(report, name, [])
    report.operation = None
    report.offline_totals = {}
    return report


def test_an_empty_report_renders() -> None:
    page = render_html(empty_report())
    assert "No findings in this breakdown." in page and "0 findings" in page


# ---- in a real browser --------------------------------------------------------------


def test_report_in_chromium(tmp_path: Path) -> None:
    needs_chromium()
    from PIL import Image
    from playwright.sync_api import sync_playwright

    report = sample_report()
    out = tmp_path / "report.html"
    HtmlWriter().write(report, out)
    problems: list[str] = []
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=BROWSER_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(out.as_uri())
            page.wait_for_load_state("load")

            charts = page.locator(".chart[data-chart]")
            assert charts.count() == 6
            for i in range(charts.count()):
                chart = charts.nth(i)
                name = chart.get_attribute("data-chart")
                assert chart.locator("svg rect.bar").count() > 0, name

            rows = page.locator("tbody.finding:visible")
            assert rows.count() == len(report.findings)
            # Hovering a bar shows its exact values.
            wildlife = page.locator('.chart[data-chart="by_category"] g.row[data-key="wildlife"]')
            wildlife.hover()
            tip = page.locator("#chart-tip")
            assert tip.is_visible() and "EUR 1,200.00" in tip.inner_text()
            # A click on a bar filters the findings table; a second click clears it.
            wildlife.click()
            assert [r.get_attribute("id") for r in rows.all()] == ["finding-2"]
            assert page.locator("select[data-filter=category]").input_value() == "wildlife"
            wildlife.click()
            assert rows.count() == len(report.findings)
            # From the keyboard: a bar is focusable and Enter filters (platform: a chip).
            page.locator('.chart[data-chart="by_platform"] g[data-key="leboncoin"] .hit').focus()
            page.keyboard.press("Enter")
            assert [r.get_attribute("id") for r in rows.all()] == ["finding-2"]
            assert "leboncoin" in page.locator(".chip").inner_text()
            page.locator("button.clear").click()
            page.locator("input[type=search]").fill("rolex")
            assert [r.get_attribute("id") for r in rows.all()] == ["finding-4"]
            page.locator("button.clear").click()
            # Sorting by value, descending on the second click.
            value_head = page.locator("thead th", has_text="Value").locator("button")
            value_head.click()
            value_head.click()
            assert rows.first.get_attribute("id") == "finding-2"  # EUR 1,200, the highest

            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=True)
            # Printed (PDF for a press office): every finding's evidence is in it.
            page.emulate_media(media="print")
            assert page.locator("dl.ev").nth(4).is_visible()
            assert not page.locator("form.filters").is_visible()
        finally:
            browser.close()

    assert problems == []
    assert requests == [out.as_uri()]  # nothing but the file itself, not even a favicon
    with Image.open(shot) as image:
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 20) or []
        ink = sum(n for n, c in colours if c != (255, 255, 255))
        assert len(colours) > 50
        assert ink > 0.1 * rgb.width * rgb.height


def test_report_without_javascript(tmp_path: Path) -> None:
    needs_chromium()
    from playwright.sync_api import sync_playwright

    out = tmp_path / "report.html"
    HtmlWriter().write(sample_report(), out)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=BROWSER_ARGS)
        try:
            context = browser.new_context(java_script_enabled=False)
            page = context.new_page()
            page.goto(out.as_uri())
            figures = page.locator("#figures").inner_text()
            assert "2,386.50" in figures and "1,200" in figures
            assert page.locator("#by_country table").is_visible()
            assert not page.locator(".chart").first.is_visible()  # no empty chart boxes
            assert page.locator("tbody.finding:visible").count() == 5
        finally:
            browser.close()


def test_hostile_and_empty_reports_run_cleanly(tmp_path: Path) -> None:
    needs_chromium()
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=BROWSER_ARGS)
        try:
            for name, report in (("hostile", hostile_report()), ("empty", empty_report())):
                out = tmp_path / f"{name}.html"
                HtmlWriter().write(report, out)
                page = browser.new_page()
                page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e: problems.append(str(e)))
                page.on("dialog", lambda d: problems.append(f"dialog: {d.message}"))
                page.goto(out.as_uri())
                assert page.title() == report.title
                assert page.locator("html.js[data-ready]").count() == 1  # the script ran to its end
                page.close()
        finally:
            browser.close()
    assert problems == []
