"""Which links to fetch first: listings, pagination and categories before the rest.

A patrol has a page budget per site; spending it on blog posts and help pages finds
fewer offers. Scores come from the URL and the anchor text (cheap patterns, in the
languages of the platforms watched) and, when the anchor text says something, from the
detection stage's rules (``netpatrol.detect``): a link titled "ivory bracelet" is worth
following before "about us". The result is a Scrapy request priority (higher first).
"""

from __future__ import annotations

import re
from functools import lru_cache

LISTING = re.compile(
    r"/(listing|listings|item|items|ad|ads|annonce|annonces|anzeige|anzeigen|angebot|"
    r"product|products|produit|offer|offre|artikel|viewtopic|dp)(/|\.|$|\?)|[?&](id|item|ad|pid)=",
    re.IGNORECASE,
)
PAGINATION = re.compile(r"[?&](page|p|seite|pg|start|offset)=\d+|/page/\d+|/seite/\d+", re.I)
CATEGORY = re.compile(
    r"/(category|categories|cat|rubrique|rubriques|kategorie|kategorien|catalog|catalogue|"
    r"shop|boutique|search|recherche|suche|forum|market)(/|$|\?)",
    re.IGNORECASE,
)
OFF_TOPIC = re.compile(
    r"/(blog|news|about|help|faq|contact|terms|privacy|legal|login|signin|register|cart|"
    r"account|impressum|agb|cgv|cgu|datenschutz|mentions-legales|careers|press)(/|$|\.|\?)",
    re.IGNORECASE,
)
NEXT_TEXT = re.compile(r"\b(next|suivante?|weiter|nächste|siguiente|successiva)\b|»|›", re.I)
IMAGE = re.compile(r"\.(jpe?g|png|gif|webp)$", re.IGNORECASE)

LISTING_SCORE, PAGINATION_SCORE, CATEGORY_SCORE = 40, 30, 25
OFF_TOPIC_SCORE, DETECTED_SCORE = -30, 20


def link_priority(url: str, text: str) -> int:
    """Scrapy priority of a link found on a page: higher is fetched sooner."""
    score = 0
    if LISTING.search(url):
        score += LISTING_SCORE
    if PAGINATION.search(url) or NEXT_TEXT.search(text):
        score += PAGINATION_SCORE
    if CATEGORY.search(url):
        score += CATEGORY_SCORE
    if OFF_TOPIC.search(url):
        score += OFF_TOPIC_SCORE
    if IMAGE.search(url):
        score -= 10  # evidence worth keeping, but after the pages that lead to more offers
    words = text.strip()
    if len(words) >= 8:
        score += round(DETECTED_SCORE * _detected(words[:200]))
    return score


def warm_up() -> None:
    """Load the detection rules now (about two seconds, once per process), not at the first
    page, where the crawl would stall on it and the watchdog would count it as a stall."""
    _detected("warm up the detection rules")


@lru_cache(maxsize=4096)
def _detected(text: str) -> float:
    """The detection rules' confidence that an anchor text names an illicit offer (0-1).

    Rules only (no model): about a tenth of a millisecond a link.
    """
    try:
        from netpatrol.detect.classify import classify_subjects, subject
    except ImportError:  # a trimmed install without the detection stage
        return 0.0
    found = classify_subjects([subject(text, None)], rules_only=True)[0]
    return 0.0 if found.category == "benign" else float(found.score)
