"""The offer's title on a page with no declared product name.

The first ``<h1>`` is not always the offer's: a page may open with a promotion ("15%
sparen"), a notice ("COVID-19 policies and precautions") or a category heading, and eBay
writes "Details about" before the item. The document's ``<title>`` names the offer more
often, but with the site around it ("... | eBay", "Amazon.de: ..."). The heading that
shares the most words with the ``<title>`` is the offer's. Without one, the ``<title>``
is, when it still names something once its site segment is gone.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from netpatrol.extract.dom import clean
from netpatrol.extract.furniture import Verdicts, in_furniture
from netpatrol.extract.price_like import price_like

MAX_HEADING = 300
MIN_SHARED = 0.5  # of the heading's words found in the <title>
MIN_TITLE_WORDS = 3  # a <title> shorter than this, once its site is gone, names no offer
MIN_NAME_WORD = 3  # shorter words ("de", "&") join a site's name, and name nothing
_WORD = re.compile(r"[^\W_]+")
_PREFIX = re.compile(r"^(?:details\s+about|détails\s+sur|details\s+zu)\s+", re.IGNORECASE)
_SEGMENTS = re.compile(r"\s+[|·•–—-]\s+|\s*:\s+")


def page_title(
    tree: LexborHTMLParser, site: str | None = None, declared: str | None = None
) -> str | None:
    """The offer's heading, or the document's title without its site (``site``: the
    page's registrable domain, "ebay.co.uk"). ``declared``: an OpenGraph title, which is
    the document's title as a site shares it ("Details about ... | eBay")."""
    headings = [h for node in tree.css("h1") if (h := _heading(node.text())) and not _in_nav(node)]
    document = clean(declared) or _document_title(tree)
    if document is None:
        return headings[0] if headings else None
    known = _words(document)
    named = _named_heading(headings, known)
    if named is None and _segments(document) > 1:
        # A market titles its page "Market | Item" and the item in an <h2>; a heading of
        # the other levels counts when the title holds more than it (the site's name).
        # Every one of its words in the title, and not in another product's box.
        verdicts: Verdicts = {}
        lower = [
            h
            for node in tree.css("h2, h3")
            if (h := _heading(node.text()))
            and len(_words(h)) < len(known)
            and _shared(h, known) == 1.0
            and not in_furniture(node, verdicts)
        ]
        named = _named_heading(lower, known)
    if named is not None:
        return named
    without_site = _without_site(document, site)
    if len(_words(without_site)) >= MIN_TITLE_WORDS or not headings:
        return _PREFIX.sub("", without_site)
    return headings[0]


def strip_prefix(name: str | None) -> str | None:
    """A declared name without eBay's "Details about" (its microdata name holds it)."""
    return _PREFIX.sub("", name) or None if name else name


def _in_nav(node: LexborNode) -> bool:
    """A heading in a menu ("<nav><ul><li><h1>Services</h1>") names a category. (A page's
    <header> may hold the offer's own heading: it is no reason to pass one over.)"""
    current = node.parent
    while current is not None:
        if current.tag == "nav":
            return True
        current = current.parent
    return False


def _named_heading(headings: list[str], known: set[str]) -> str | None:
    """The heading the document's title names; of headings it names equally (a brand's
    and a name's), the longer."""
    best = max(headings, key=lambda h: (_shared(h, known), len(h)), default=None)
    if best is None or _shared(best, known) < MIN_SHARED:
        return None
    return _best_segment(best, known)


def _segments(document: str) -> int:
    return len(_SEGMENTS.split(document))


def _heading(text: str) -> str | None:
    heading = clean(text)
    if not heading or len(heading) > MAX_HEADING or price_like(heading):
        return None
    return _PREFIX.sub("", heading) or None


def _document_title(tree: LexborHTMLParser) -> str | None:
    node = tree.css_first("title")
    return clean(node.text()) if node is not None else None


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def _shared(heading: str, known: set[str]) -> float:
    words = _words(heading)
    return len(words & known) / len(words) if words else 0.0


def _best_segment(heading: str, known: set[str]) -> str:
    """Of a heading made of parts ("Log In needed $15 · Casio FX-991ES"), the part that
    the document's title names."""
    parts = [p for p in re.split(r"\s+[·|]\s+", heading) if p]
    if len(parts) < 2:
        return heading
    return max(parts, key=lambda p: (_shared(p, known), len(p)))


def _without_site(document: str, site: str | None) -> str:
    """The title without the segments at its ends that name the site ("| eBay",
    "Amazon.de:"), the rest as written."""
    name = _site_name(site)
    if not name:
        return document
    cuts = [(m.start(), m.end()) for m in _SEGMENTS.finditer(document)]
    start, end = 0, len(document)
    # From the front, then from the back: a segment naming the site is cut with its mark.
    for cut_start, cut_end in cuts:
        if _names_site(document[start:cut_start], name):
            start = cut_end
        break
    for cut_start, cut_end in reversed(cuts):
        if cut_start >= start and _names_site(document[cut_end:end], name):
            end = cut_start
        break
    return document[start:end] or document


def names_site(text: str, site: str | None) -> bool:
    """Whether ``text`` names the site (``site``: its registrable domain): "eBay" for
    ebay.co.uk, "Walmart.com", "John Lewis & Partners" for johnlewis.com."""
    name = _site_name(site)
    return bool(name) and _names_site(text, name)


def _site_name(site: str | None) -> str:
    """The name a registrable domain gives its site: "ebay" for ebay.co.uk."""
    return (site or "").split(".")[0].casefold()


def _names_site(segment: str, name: str) -> bool:
    """Whether a segment names the site: "eBay", "Amazon.de", "Nordisk Jagt & Kniv" for
    nordiskjagtogkniv.dk (each of its words is in the domain's name)."""
    words = [w for w in _WORD.findall(segment.casefold()) if len(w) >= MIN_NAME_WORD]
    return name in segment.casefold().replace(" ", "") or (
        bool(words) and all(w in name for w in words)
    )
