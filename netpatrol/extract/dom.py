"""Reading a parsed page: title, main text, images, and fields found by class names."""

from __future__ import annotations

import re
import string
from urllib.parse import urljoin

import trafilatura
from selectolax.lexbor import LexborHTMLParser, LexborNode

from netpatrol.extract.price_like import price_like
from netpatrol.extract.wordtrie import word_trie

# Not part of what a page says about its offer.
BOILERPLATE = "script, style, noscript, template, svg, nav, header, footer, aside, form, iframe"
_CLASS_HINTS = {
    "seller": re.compile(
        r"seller|vendor|vendeur|verk(?:ä|ae)ufer|venditore|vendedor|verkoper|anbieter"
        r"|h(?:ä|ae)ndler|shop-?name|store-?name|username|user-?name|author|annonceur",
        re.I,
    ),
    "location": re.compile(
        r"placement|location|locality|city|ville|lieu|region|ort\b|address"
        r"|ships?-?from|shipping-?from|origin",
        re.I,
    ),
}
MAX_FIELD_TEXT = 120
# Substrings that every match of the field's pattern contains: a cheap test before it.
_SUBSTRINGS = {
    "seller": (
        "seller",
        "vendor",
        "vendeur",
        "verkäufer",
        "verkaeufer",
        "venditore",
        "vendedor",
        "verkoper",
        "anbieter",
        "händler",
        "haendler",
        "shopname",
        "shop-name",
        "storename",
        "store-name",
        "username",
        "user-name",
        "author",
        "annonceur",
    ),
    "location": (
        "placement",
        "location",
        "locality",
        "city",
        "ville",
        "lieu",
        "region",
        "ort",
        "address",
        "ship",
        "origin",
    ),
}
# lexbor's "i" flag of attribute selectors folds ASCII letters only; the substrings were
# looked for that way, and still are ("VERKÄUFER" is no candidate for "verkäufer").
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)

# One branch per letter (wordtrie): the engine tests a few, not every word, at each position.
_ANY_SUBSTRING = re.compile(word_trie([w for ws in _SUBSTRINGS.values() for w in ws]))


def clean(text: str | None) -> str | None:
    """Whitespace collapsed; None for nothing."""
    if text is None:
        return None
    # What re.sub(r"\s+", " ") and strip() give (str.split() and \s agree on every
    # character), at a third of the cost on page-sized texts.
    collapsed = " ".join(text.split())
    return collapsed or None


def page_title(tree: LexborHTMLParser) -> str | None:
    for selector in ("h1", "title"):
        node = tree.css_first(selector)
        if node is not None and (text := clean(node.text())):
            return text
    return None


def main_text(tree: LexborHTMLParser) -> str | None:
    """Visible text of the body without navigation, headers, footers and forms.

    Strips those elements from ``tree`` itself (a copy would cost a second parse): call
    it after every other reader of the page."""
    body = tree.body
    if body is None:
        return None
    tree.strip_tags(BOILERPLATE.split(", "))
    main = (
        clean(node.text(separator=" "))
        if (node := tree.css_first("main, article, [role=main]"))
        else None
    )
    whole = clean(body.text(separator=" "))
    # A <main> or <article> holding a fraction of the page (a review box) is not the offer.
    if main is not None and whole is not None and len(main) >= len(whole) // 3:
        return main
    return whole


def fallback_text(html: str, url: str | None) -> str | None:
    """trafilatura's main-content extraction (fast mode): slower, used only when the
    page's own structure gave almost no text."""
    try:
        text = trafilatura.extract(html, url=url, fast=True, include_comments=False)
    except Exception:  # trafilatura raises what lxml raises on odd markup
        return None
    return clean(text) if isinstance(text, str) else None


def node_text(node: LexborNode) -> str | None:
    return clean(node.text(separator=" "))


def card_title(card: LexborNode) -> str | None:
    for selector in ("h1, h2, h3, h4", _TITLE_SELECTOR):
        # Material UI's "MuiTypography-subtitle1" is a style, often the price's: a title
        # that reads as a price alone is none.
        text = next(
            (t for node in card.css(selector) if (t := clean(node.text())) and not price_like(t)),
            None,
        )
        if text:
            return _named_in_link(card, text) or text
    links = [card] if card.tag == "a" else card.css("a[title], a")
    # The first link is often the picture's, with no text: the name is in a later one.
    return next(
        (
            text
            for link in links
            if (text := clean(link.attributes.get("title")) or clean(link.text()))
        ),
        None,
    )


_TITLE_SELECTOR = "[class*=title], [class*=Title], [itemprop=name], [data-testid*=title]"
# "Sac Neverfull MM, marque: Louis Vuitton, état: Très bon état": the name before the first
# labelled field.
_LABELLED_FIELD = re.compile(r",\s+[^\W\d_][\w\s]{0,20}:\s")


def _named_in_link(card: LexborNode, shown: str) -> str | None:
    """The item's name from a link's title when the card shows only a detail of it: Vinted's
    cards show the brand, their overlay link's title "name, marque: brand, état: ..."."""
    link = card.css_first("a[title]")
    named = clean(link.attributes.get("title")) if link is not None else None
    if not named or named.startswith(shown) or shown not in named:
        return None
    return clean(_LABELLED_FIELD.split(named, maxsplit=1)[0]) or None


def card_link(card: LexborNode, base: str | None) -> str | None:
    link = card if card.tag == "a" else card.css_first("a[href]")
    href = link.attributes.get("href") if link is not None else None
    return absolute(href, base)


def images(root: LexborNode | LexborHTMLParser, base: str | None, limit: int = 10) -> list[str]:
    """Image URLs (lazy-loading attributes first), absolute, without duplicates."""
    found: list[str] = []
    for img in root.css("img"):
        attributes = img.attributes
        src = (
            attributes.get("data-src")
            or attributes.get("data-original")
            or attributes.get("data-lazy-src")
            or attributes.get("src")
        )
        url = absolute(src, base)
        if url and not url.startswith("data:") and url not in found:
            found.append(url)
        if len(found) >= limit:
            break
    return found


def fields_by_class(root: LexborNode, fields: tuple[str, ...]) -> dict[str, str]:
    """The first short text per field whose element's class/id/itemprop suggests it.

    One walk over the elements (the root included) for all fields: an element whose
    class, id or itemprop holds one of the field's substrings, then matches its pattern
    (substrings cannot say "ort" but not "sort"), gives the field its text if short.
    Elements repeat the same few attribute values, so each is judged once per call:
    attribute-substring selectors cost more (about 70 of them, each a pass over the tree)."""
    found: dict[str, str] = {}
    verdicts: dict[tuple[str | None, str | None, str | None], tuple[str, ...]] = {}
    for node in root.traverse(include_text=False):
        attributes = node.attributes
        if not attributes:  # most elements: no key to build, nothing to judge
            continue
        get = attributes.get
        key = (get("class"), get("id"), get("itemprop"))
        matched = verdicts.get(key)
        if matched is None:
            matched = verdicts[key] = _hinted_fields(key, fields)
        if matched and _take_texts(node, matched, found) == len(fields):
            break
    return found


def _take_texts(node: LexborNode, fields: tuple[str, ...], found: dict[str, str]) -> int:
    """Give the fields not found yet the node's value, if any; how many are found now."""
    for field in fields:
        if field not in found and (value := field_value(node, field)) is not None:
            found[field] = value
    return len(found)


def field_value(node: LexborNode, field: str) -> str | None:
    """The element's text, if short, without its label; for a seller, the name its first
    link shows when it has one ("Sold by <a>ShopX</a>", a block with ratings beside it)."""
    text = clean(node.text(separator=" "))
    if not text or len(text) > MAX_FIELD_TEXT:
        return None
    if field == "seller":
        link = node if node.tag == "a" else node.css_first("a")
        name = clean(link.text(separator=" ")) if link is not None else None
        if name and _GENERIC_LINK.search(name) is None:
            return _unrated(name)
        if name:  # "Contact vendor" beside the name: not part of it
            text = clean(text.replace(name, " ")) or text
        return _unrated(unlabel(text))
    return unlabel(text)


# A seller's rating or sales count after the name: "darkstar (98%)", "shop [4.9]", "x (1234)".
_RATING = re.compile(r"\s*[(\[]\s*[\d.,]+\s*%?\s*(?:/\s*[\d.,]+\s*)?[)\]]\s*$")


def _unrated(name: str) -> str:
    return _RATING.sub("", name) or name


# Links of a seller box that name no seller.
_GENERIC_LINK = re.compile(
    r"\b(?:contact|message|profile|view|see|more|all|follow|report|shop now|visit|voir|"
    r"tous|suivre|signaler|kontakt|ansehen|alle|folgen|melden|ver|todos|vedi|tutti|"
    r"bekijk|ver\s+m[áa]s)\b",
    re.IGNORECASE,
)


# "Seller: x", "Vendeur : x", "Standort: x": the page's own label is not the value.
_LABEL = re.compile(
    r"^(?:(?:seller|vendor|vendeur|verkäufer|anbieter|venditore|vendedor|verkoper|"
    r"(?:item\s+)?location|localisation|lieu|ville|standort|ort|luogo|località|ubicación|"
    r"locatie|plaats|localização)\s*:|"
    # Labels that end in a preposition need no colon: "Sold by ShopX", "Located in Riga".
    r"(?:sold\s+by|vendu\s+par|verkauft\s+von|venduto\s+da|vendido\s+por|verkocht\s+door|"
    r"located\s+in|situ[ée]\s+à|ships\s+from|shipping\s+from|exp[ée]di[ée]\s+depuis|"
    r"versand\s+aus|spedito\s+da|enviado\s+desde)\s*:?)\s*",
    re.IGNORECASE,
)


def unlabel(text: str) -> str:
    """The value without a leading field label; the text as it is when nothing follows."""
    rest = _LABEL.sub("", text, count=1)
    return rest or text


def _hinted_fields(values: tuple[str | None, ...], fields: tuple[str, ...]) -> tuple[str, ...]:
    marker = " ".join(filter(None, values))
    folded = marker.lower() if marker.isascii() else marker.translate(_ASCII_LOWER)
    if _ANY_SUBSTRING.search(folded) is None:  # nearly every element: one scan, not ~25
        return ()
    return tuple(
        field
        for field in fields
        if any(word in folded for word in _SUBSTRINGS[field]) and _CLASS_HINTS[field].search(marker)
    )


def element_markers(node: LexborNode) -> str:
    """The element's class, id and test ids, lower-cased: what its markup says it is.
    Sites styled by CSS-in-JS have class names such as "css-1mavfq0"; their test ids
    (data-testid="similar-ads-section", data-q="ad-price") still say it."""
    attributes = node.attributes
    if not attributes:
        return ""
    return " ".join(v for k, v in attributes.items() if v and k in _MARKER_ATTRIBUTES).lower()


_MARKER_ATTRIBUTES = frozenset(
    {"class", "id", "data-testid", "data-test", "data-qa", "data-q", "data-cy", "data-price-type"}
)


def absolute(url: str | None, base: str | None) -> str | None:
    if not url or not url.strip():
        return None
    url = url.strip()
    if url.startswith(("javascript:", "#", "mailto:", "tel:")):
        return None
    return urljoin(base, url) if base else url


_TRACKING_HINTS = ("UA-", "gtag(", "GTM-", "pub-", "fbq(", "googletagmanager")


def visible_text_and_links(root: LexborNode | LexborHTMLParser) -> str:
    """Where a seller's identifiers are: the visible text and every link target."""
    top = root.body if isinstance(root, LexborHTMLParser) else root
    if top is None:
        return ""
    parts = [top.text(separator=" ")]
    parts.extend(href for node in top.css("a[href]") if (href := node.attributes.get("href")))
    return "\n".join(parts)


def tracking_scripts(root: LexborNode | LexborHTMLParser) -> str:
    """The inline scripts that set analytics or ad-network ids (the rest are skipped:
    inline scripts can be megabytes of code)."""
    return "\n".join(
        code
        for script in root.css("script")
        if any(hint in (code := script.text()) for hint in _TRACKING_HINTS)
    )
