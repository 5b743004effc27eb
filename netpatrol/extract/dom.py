"""Reading a parsed page: title, main text, images, and fields found by class names."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import trafilatura
from selectolax.lexbor import LexborHTMLParser, LexborNode

from netpatrol.extract.price_like import price_like

# Not part of what a page says about its offer.
BOILERPLATE = "script, style, noscript, template, svg, nav, header, footer, aside, form, iframe"


def clean(text: str | None) -> str | None:
    """Whitespace collapsed; None for nothing."""
    if text is None:
        return None
    # What re.sub(r"\s+", " ") and strip() give (str.split() and \s agree on every
    # character), at a third of the cost on page-sized texts.
    collapsed = " ".join(text.split())
    return collapsed or None


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


def element_markers(node: LexborNode) -> str:
    """The element's class, id and test ids, lower-cased: what its markup says it is.
    Sites styled by CSS-in-JS have class names such as "css-1mavfq0"; their test ids
    (data-testid="similar-ads-section", data-q="ad-price") still say it."""
    attributes = node.attributes
    if not attributes:
        return ""
    return " ".join(v for k, v in attributes.items() if v and k in _MARKER_ATTRIBUTES).lower()


_MARKER_ATTRIBUTES = frozenset(
    {
        "class",
        "id",
        "data-testid",
        "data-test-id",
        "data-test",
        "data-qa",
        "data-q",
        "data-cy",
        "data-price-type",
    }
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
