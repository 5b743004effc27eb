"""The formal notice of a referral package, in the recipient's language (en, fr).

Templates live in ``act/templates``: ``notice.<lang>.txt.j2`` and ``notice.<lang>.html.j2``
(HTML autoescaped: listing titles and sellers are attacker-written text). What the
detectors found is turned into sentences here, per language, so that a template only
lays them out.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

import pycountry
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from netpatrol.act.recipients import Recipient
from netpatrol.report.data import Finding, OperationInfo

LANGUAGES = ("en", "fr")
FORMATS = ("txt", "html")
MAX_QUOTES = 5
# Matched words that speak against the category (``detect.lexical``): evidence, but not of
# illegality; a notice quotes only what supports its request.
NOT_QUOTED = frozenset({"lookalike", "non_sale", "news", "wanted"})

CATEGORY_NAMES = {
    "en": {
        "wildlife": "wildlife trade (specimens or products of wild animals and plants)",
        "medicine": "medicines sold outside the controlled supply chain",
        "counterfeit": "counterfeit goods",
        "drugs": "controlled drugs",
        "weapons": "weapons",
    },
    "fr": {
        "wildlife": "commerce d'espèces sauvages (spécimens ou produits d'animaux et de "
        "plantes sauvages)",
        "medicine": "médicaments vendus hors de la chaîne d'approvisionnement contrôlée",
        "counterfeit": "produits contrefaisants",
        "drugs": "stupéfiants et substances classées",
        "weapons": "armes",
    },
}
# Detector labels ("kind:value[:detail]") as sentences; {0} value, {1} detail.
GROUNDS = {
    "en": {
        "cites": "{0}, listed in CITES {1}",
        "taxon": "species named: {0}",
        "substance": "controlled substance named: {0}",
        "schedule": "{0}, scheduled ({1})",
        "medicine": "medicine named: {0}",
        "class": "therapeutic class: {0}",
        "brand": "brand named: {0}",
        "counterfeit_cue": "wording used for counterfeits: {0}",
        "weapon": "weapon named: {0}",
        "product": "wildlife product named: {0}",
    },
    "fr": {
        "cites": "{0}, inscrit à la CITES ({1})",
        "taxon": "espèce nommée : {0}",
        "substance": "substance classée nommée : {0}",
        "schedule": "{0}, classé ({1})",
        "medicine": "médicament nommé : {0}",
        "class": "classe thérapeutique : {0}",
        "brand": "marque nommée : {0}",
        "counterfeit_cue": "formulation propre aux contrefaçons : {0}",
        "weapon": "arme nommée : {0}",
        "product": "produit d'espèce sauvage nommé : {0}",
    },
}


@dataclass(frozen=True)
class NoticeFinding:
    number: int
    url: str
    category: str
    category_name: str
    title: str | None
    site: str | None
    platform: str | None
    seller: str | None
    location: str | None
    price: str | None
    grounds: tuple[str, ...]  # why it is believed illegal, from the detection
    quotes: tuple[str, ...]  # words of the listing that the detection matched
    score: float
    routed_because: str  # why this recipient receives it
    identifiers: tuple[str, ...]
    captured_at: str  # UTC, ISO 8601
    sha256: str
    warc_record_id: str | None


@dataclass(frozen=True)
class Notice:
    reference: str
    operation: OperationInfo
    recipient: Recipient
    language: str
    created_at: datetime
    sender: str | None
    findings: tuple[NoticeFinding, ...]
    categories: tuple[str, ...]  # category names, in the notice's language
    digests: Mapping[str, str]  # file of the package -> SHA-256 (evidence, findings.csv)
    country_name: str | None


def notice_language(recipient: Recipient, override: str | None = None) -> str:
    """The override, else the recipient's language, else English (no template for it)."""
    wanted = override or recipient.language
    return wanted if wanted in LANGUAGES else "en"


def build_notice(
    reference: str,
    operation: OperationInfo,
    recipient: Recipient,
    language: str,
    findings: Sequence[Finding],
    reasons: Mapping[int, Sequence[str]],
    digests: Mapping[str, str],
    created_at: datetime,
    sender: str | None = None,
) -> Notice:
    names = CATEGORY_NAMES[language]
    items = tuple(
        _item(n, f, language, ", ".join(dict.fromkeys(reasons.get(f.listing_id, ()))))
        for n, f in enumerate(findings, 1)
    )
    categories = tuple(dict.fromkeys(names.get(f.category, f.category) for f in findings))
    return Notice(
        reference=reference,
        operation=operation,
        recipient=recipient,
        language=language,
        created_at=created_at.astimezone(UTC),
        sender=sender,
        findings=items,
        categories=categories,
        digests=dict(digests),
        country_name=country_name(recipient.country, language),
    )


def render_notice(notice: Notice, fmt: str) -> str:
    """The notice as plain text (``txt``) or an HTML page (``html``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown notice format {fmt!r}")
    template = _environment().get_template(f"notice.{notice.language}.{fmt}.j2")
    return template.render(
        notice=notice,
        utc=lambda when: when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        intermediary=notice.recipient.kind in ("platform", "host", "registrar"),
        payment=notice.recipient.kind == "payment",
    )


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("netpatrol.act", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def country_name(code: str | None, language: str) -> str | None:
    if not code:
        return None
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    name = str(getattr(country, "common_name", None) or country.name)
    return f"{_translate(language, name)} ({code.upper()})"


def _translate(language: str, text: str) -> str:
    if language == "en":
        return text
    try:
        return gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language]
        ).gettext(text)
    except OSError:
        return text


def grounds_of(labels: Sequence[str], language: str) -> tuple[str, ...]:
    """Detector labels as sentences; a taxon named again with its CITES listing once."""
    phrases = GROUNDS[language]
    listed = {label.split(":")[1] for label in labels if label.startswith("cites:")}
    found: list[str] = []
    for label in labels:
        kind, _, rest = label.partition(":")
        value, _, detail = rest.partition(":")
        if kind == "taxon" and value in listed:
            continue
        pattern = phrases.get(kind)
        if pattern is None:
            found.append(f"{kind.replace('_', ' ')}: {rest}" if rest else kind)
        else:
            found.append(pattern.format(value, detail or "-"))
    return tuple(dict.fromkeys(found))


def _item(number: int, finding: Finding, language: str, routed: str) -> NoticeFinding:
    quotes = tuple(
        dict.fromkeys(
            f"«{e.text}» ({e.kind.replace('_', ' ')})"
            for e in finding.evidence
            if e.kind not in NOT_QUOTED
        )
    )[:MAX_QUOTES]
    price = None
    if finding.price is not None:
        price = f"{finding.price:.2f} {finding.currency or ''}".strip()
        if finding.price_eur is not None and finding.currency != "EUR":
            price += f" (≈ {finding.price_eur:.2f} EUR)"
    captured = finding.captured_at.astimezone(UTC).isoformat() if finding.captured_at else "-"
    return NoticeFinding(
        number=number,
        url=finding.url or "",
        category=finding.category,
        category_name=CATEGORY_NAMES[language].get(finding.category, finding.category),
        title=finding.title,
        site=finding.site,
        platform=finding.platform,
        seller=finding.seller,
        location=finding.location,
        price=price,
        grounds=grounds_of(finding.labels, language),
        quotes=quotes,
        score=finding.score,
        routed_because=routed,
        identifiers=tuple(f"{kind}: {value}" for kind, value in finding.identifiers),
        captured_at=captured,
        sha256=finding.sha256,
        warc_record_id=finding.warc_record_id,
    )
