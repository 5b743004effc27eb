"""The HTML report: one self-contained file (styles, script and data inlined) that opens
offline, shows every figure without JavaScript and adds interactive charts with it."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from netpatrol.report.data import UNKNOWN, Finding, ReferralSummary, ReportData
from netpatrol.report.files import write_atomic
from netpatrol.report.units import format_hours

HERE = Path(__file__).resolve().parent
TEMPLATE = "report.html.j2"

# Headline figures in the order press releases quote them: (key, label, format).
HEADLINES: tuple[tuple[str, str, str], ...] = (
    ("sites_identified", "Sites identified", "int"),
    ("listings", "Listings found", "int"),
    ("listings_removed", "Listings removed", "int"),
    ("specimens", "Specimens / items", "num"),
    ("value_eur", "Value offered", "eur"),
    ("referrals_sent", "Referrals sent", "int"),
    ("takedown_median_hours", "Median time to takedown", "hours"),
)
OFFLINE_LABELS = {
    "parcels_inspected": "Parcels inspected",
    "seizures": "Seizures",
    "arrests": "Arrests",
    "cases": "Cases opened",
    "cases_opened": "Cases opened",
    "suspects": "Suspects identified",
}
# The charts, their breakdown and the findings field a click on a bar filters.
CHARTS: tuple[tuple[str, str, str], ...] = (
    ("by_country", "By country", "country"),
    ("by_category", "By category", "category"),
    ("by_platform", "By platform / site", "platform"),
    ("by_species", "By species (CITES taxa)", "species"),
    ("by_appendix", "By CITES appendix", "appendix"),
)


class HtmlWriter:
    """``netpatrol report --out FILE.html``."""

    suffix = ".html"

    def write(self, data: ReportData, path: Path) -> list[str]:
        warnings: list[str] = []
        text = render_html(data, warnings)
        write_atomic(path, text)
        return warnings


def render_html(data: ReportData, warnings: list[str] | None = None) -> str:
    """The report page; problems worth telling the user are appended to ``warnings``."""
    found = warnings if warnings is not None else []
    content = _clean(data.as_dict(), found, "report")
    content["country_names"] = _country_names(data)
    payload = _json_for_script(content)
    found.extend(_finding_warnings(data.findings))
    template = _environment().get_template(TEMPLATE)
    return template.render(
        data=data,
        payload=payload,
        css=Markup(_asset("report.css", "</style")),
        js=Markup(_asset("report.js", "</script")),
        headlines=_headlines(data.totals),
        offline=_offline_figures(data.offline_totals),
        charts=[(key, title, field, getattr(data, key)) for key, title, field in CHARTS],
        referral_status=_referral_status(data.referrals),
        referral_of={r.id: r.status for r in data.referrals},
        filters=_filter_options(data.findings),
    )


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        num=format_number,
        amount=format_amount,
        eur=format_eur,
        hours=format_hours,
        utc=format_utc,
        country=country_name,
        fkey=finding_country,
        fsite=finding_platform,
    )
    return env


@cache
def _asset(name: str, closing: str) -> str:
    text = (HERE / "assets" / name).read_text(encoding="utf-8")
    # Inlined verbatim: a closing tag inside would end the element early.
    if closing in text.lower():
        raise ValueError(f"assets/{name} contains {closing!r}")
    return text


def _json_for_script(value: Any) -> Markup:
    """JSON safe inside <script>: no "</script>", "<!--" or line separators survive."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, escaped)
    return Markup(text)


def _clean(value: Any, warnings: list[str], where: str) -> Any:
    """NaN / infinity are not JSON: they become null, and the user is told."""
    if isinstance(value, float) and not math.isfinite(value):
        warnings.append(f"html: {where} is {value}; shown as unknown")
        return None
    if isinstance(value, dict):
        return {k: _clean(v, warnings, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v, warnings, f"{where}[{i}]") for i, v in enumerate(value)]
    return value


def _country_names(data: ReportData) -> dict[str, str]:
    """Names for the charts' labels, so the script needs no country table of its own."""
    codes = {row.key for row in data.by_country} | {finding_country(f) for f in data.findings}
    return {code: country_name(code) for code in sorted(codes)}


def _finding_warnings(findings: Iterable[Finding]) -> list[str]:
    weak = [f.listing_id for f in findings if f.captured_at is None or not f.sha256]
    if not weak:
        return []
    ids = ", ".join(str(i) for i in weak[:10]) + (" ..." if len(weak) > 10 else "")
    return [f"html: {len(weak)} finding(s) without capture time or digest: {ids}"]


def _headlines(totals: dict[str, float]) -> list[tuple[str, str, str, str]]:
    """(key, label, shown, exact): large sums are shown rounded, exact on hover."""
    shown = []
    for key, label, kind in HEADLINES:
        value = totals.get(key)
        exact = _format(value, kind)
        text = exact
        if key == "referrals_sent" and "referrals" in totals:
            text = exact = f"{format_number(value or 0)} of {format_number(totals['referrals'])}"
        elif kind == "eur" and value is not None and abs(value) >= 10_000:
            text = f"EUR {value:,.0f}"
        shown.append((key, label, text, exact))
    return shown


def _offline_figures(totals: dict[str, float]) -> list[tuple[str, str, str]]:
    known = [k for k in OFFLINE_LABELS if k in totals]
    others = sorted(k for k in totals if k not in OFFLINE_LABELS)
    return [(k, OFFLINE_LABELS.get(k, _humanise(k)), format_number(totals[k]))
            for k in known + others]  # fmt: skip


def _referral_status(referrals: list[ReferralSummary]) -> list[tuple[str, int, int]]:
    """(status, referrals, items) in the order a referral moves through them."""
    order = ["draft", "sent", "acknowledged", "removed", "refused"]
    counts: dict[str, list[int]] = {}
    for ref in referrals:
        row = counts.setdefault(ref.status, [0, 0])
        row[0] += 1
        row[1] += ref.items
    ranked = sorted(counts, key=lambda s: (order.index(s) if s in order else len(order), s))
    return [(s, counts[s][0], counts[s][1]) for s in ranked]


def _filter_options(findings: list[Finding]) -> dict[str, list[str]]:
    return {
        "category": sorted({f.category for f in findings}),
        "country": sorted({finding_country(f) for f in findings}),
        "status": sorted({f.status for f in findings}),
    }


def _format(value: float | None, kind: str) -> str:
    if value is None:
        return "n/a"
    if kind == "eur":
        return format_eur(value)
    if kind == "hours":
        return format_hours(value)
    return format_number(value)


def format_number(value: float | None) -> str:
    """English grouping: 12,345; a fraction only when there is one (2.5)."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_amount(value: float | None) -> str:
    """A price in its own currency: small crypto amounts keep their digits (0.0012 BTC)."""
    if value is None or not math.isfinite(value) or abs(value) >= 1:
        return format_number(value)
    return f"{value:.8f}".rstrip("0").rstrip(".")


def format_eur(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"EUR {value:,.2f}"


def format_utc(value: datetime | None) -> str:
    if value is None:
        return "n/a"
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M UTC")


def country_name(code: str | None) -> str:
    if not code or code == UNKNOWN:
        return "Unknown"
    found = pycountry.countries.get(alpha_2=code.upper())
    return f"{found.name} ({code.upper()})" if found else code


def finding_country(finding: Finding) -> str:
    return finding.jurisdiction.country or UNKNOWN


def finding_platform(finding: Finding) -> str:
    return finding.platform or finding.site or UNKNOWN


def _humanise(key: str) -> str:
    return key.replace("_", " ").capitalize()
