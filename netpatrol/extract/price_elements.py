"""The elements of a page that show a price, and the text each shows.

Shops split a price over several elements: the cents in a superscript ("12<sup>,99</sup>
€", "12€<sup>99</sup>"), the currency sign in an element of its own beside the amount
("<span>£</span><span>1,299.00</span>"). Read as plain text, the first gives "12 ,99 €"
(twelve euros) and the second no price-like element at all.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from netpatrol.extract.currency import resolve_currency
from netpatrol.extract.dom import clean, element_markers
from netpatrol.extract.price_like import price_like

MAX_PRICE_TEXT = 80
# Class or id words of an element holding a price, in the shop languages.
PRICE_MARKERS = (
    "price",
    "prix",
    "preis",
    "prezzo",
    "precio",
    "preco",
    "prijs",
    "cena",
    "amount",
    "cost",
)
# One search of an element's markers for any of them.
PRICE_MARKER = re.compile("|".join(map(re.escape, PRICE_MARKERS)))
# ... and of amounts beside a price that are not it.
_NOT_A_PRICE = (
    "old",
    "was",
    "unit",
    "per-",
    "ship",
    "save",
    "saving",
    "discount",
    "percent",
    "qty",
)
_SKIP = frozenset({"script", "style", "noscript", "template"})
# Elements a browser runs into the text around them, with no break.
_INLINE = frozenset(
    {"span", "b", "strong", "em", "i", "small", "sub", "sup", "bdi", "ins", "font", "abbr"}
)
_DIGIT = re.compile(r"\d")
# An amount alone: "1,299.00", "49", "1 299,-".
_BARE_AMOUNT = re.compile(r"\d[\d\s.,'\u00a0\u202f]*-?")
MAX_CURRENCY_TOKEN = 4  # "€", "EUR", "zł", "US$"
MAX_CENTS_PART = 8  # ",99 EUR"
_CENTS_PART = re.compile(r"[.,]\d{2}(?!\d)")
SIBLING_HOPS = 2  # a whitespace text node may stand between the amount and its sign
# Struck-through elements: the old price beside the new one.
STRUCK_TAGS = frozenset({"del", "s", "strike"})
_STRUCK_MARKUP = re.compile(
    rf"<({'|'.join(sorted(STRUCK_TAGS))})\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
# Cents in a superscript, with their decimal mark or none, a sign before or after them:
# "<sup>,99</sup>", "<sup>99</sup>", "<sup>,99 €</sup>", "€<sup>99</sup>", "<sup>€99</sup>",
# "<span class=dollars>79</span><sup>99</sup>".
_SUPERSCRIPT_CENTS = re.compile(
    r"(?P<int>\d)\s*(?P<close></(?:span|b|strong)>)?\s*(?P<sign>[€£$])?\s*<sup\b[^>]*>\s*(?P<inside>[€£$])?\s*(?P<mark>[.,])?\s*(?P<cents>\d{2})"
    r"\s*(?P<after>[€£$]|EUR|eur)?\s*</sup>"
)
# Cents in an element named so, not a superscript (MercadoLibre's
# "<span class="andes-money-amount__fraction">2,749</span>
# <span class="andes-money-amount__cents">50</span>"): read as superscript cents.
_CENTS_ELEMENT = re.compile(
    r"<(?:span|small)\b[^>]*\bclass=\"[^\"]*(?<![a-z])cents(?![a-z])[^\"]*\"[^>]*>"
    r"\s*(?P<cents>\d{2})\s*</(?:span|small)>"
)
# The amount before superscript cents: the mark its thousands use is not the decimal one.
_AMOUNT_TAIL = re.compile(r"[\d.,\s\u00a0]*\Z")


def price_elements(
    root: LexborHTMLParser | LexborNode, bare: list[LexborNode] | None = None
) -> list[LexborNode]:
    """Elements (under a page's body, or a card) whose own short text reads as a price;
    for an amount whose currency sign stands in a sibling element, their parent.

    ``bare``, when given, receives the elements that show an amount alone and whose class
    or id calls it a price ("24,90", its sign drawn by a style sheet)."""
    top = root.body if isinstance(root, LexborHTMLParser) else root
    if top is None:
        return []
    found: list[LexborNode] = []
    for node in top.traverse(include_text=False):
        own = node.text(deep=False, strip=True)
        # Every test below needs a digit in the element's own text: most elements have
        # none, and looking for one costs a fraction of the price pattern.
        if not own or _DIGIT.search(own) is None or node.tag in _SKIP:
            continue
        if len(own) <= MAX_PRICE_TEXT and price_like(own):
            found.append(node)
        elif len(own) <= MAX_PRICE_TEXT // 2:  # the whole text is at least as long
            # "30,000<sub>원</sub>": the number here, its currency in a child element.
            deep = node.text(deep=True, strip=True)
            if len(deep) <= MAX_PRICE_TEXT // 2 and price_like(deep):
                found.append(node)
            else:
                _split_or_bare(node, own, found, bare)
    return found


def _split_or_bare(
    node: LexborNode, own: str, found: list[LexborNode], bare: list[LexborNode] | None
) -> None:
    if not _BARE_AMOUNT.fullmatch(own):
        return
    holder = _split_price(node)
    if holder is not None:
        if not _last(found, holder):
            found.append(holder)
    elif bare is not None and _marked_as_price(node):
        bare.append(node)


def _marked_as_price(node: LexborNode) -> bool:
    words = element_markers(node)
    return PRICE_MARKER.search(words) is not None and not any(m in words for m in _NOT_A_PRICE)


def _last(found: list[LexborNode], node: LexborNode) -> bool:
    return bool(found) and found[-1].mem_id == node.mem_id


def _split_price(node: LexborNode) -> LexborNode | None:
    """The parent of an amount whose currency sign or cents are a sibling element's whole
    text, when the parent's text is short and reads as a price."""
    if not any(_is_price_part(s) for s in _siblings(node)):
        return None
    parent = node.parent
    if parent is None:
        return None
    text = parent.text(deep=True, strip=True)
    return parent if len(text) <= MAX_PRICE_TEXT // 2 and price_like(text) else None


def _siblings(node: LexborNode) -> list[LexborNode]:
    """The nearest element siblings on either side, over whitespace text nodes."""
    found = []
    for step in ("prev", "next"):
        current = getattr(node, step)
        for _ in range(SIBLING_HOPS):
            if current is None:
                break
            if current.is_element_node:
                found.append(current)
                break
            if not current.is_text_node or (current.text_content or "").strip():
                break  # text between them: the sign is not the amount's
            current = getattr(current, step)
    return found


def _is_price_part(node: LexborNode) -> bool:
    """A currency sign or code alone ("£", "EUR"), or the cents ("",99 €")."""
    text = node.text(deep=True, strip=True)
    if 0 < len(text) <= MAX_CURRENCY_TOKEN and resolve_currency(text) is not None:
        return True
    return len(text) <= MAX_CENTS_PART and _CENTS_PART.match(text) is not None


def price_text(node: LexborNode) -> str | None:
    """The price an element shows as one text, as a browser shows it: parts in inline
    elements joined as they stand ("<span>12</span><span>,99 €</span>" -> "12,99 €"),
    superscript cents joined to the amount ("12<sup>,99</sup> €" -> "12,99 €"), struck-through
    parts left out ("<s>29,99 €</s> 19,99 €" -> "19,99 €")."""
    first = node.first_child
    if first is None or (first.is_text_node and first.next is None):
        return clean(node.text())  # a leaf: "24,90 €", most price elements
    if node.css_first("sup, s, del, strike") is None and not _named_cents(node):
        inline = all(child.tag in _INLINE for child in node.iter(include_text=False))
        return clean(node.text(separator="" if inline else " "))
    # A struck-through part is the old price, not part of this one.
    markup = _STRUCK_MARKUP.sub(" ", node.html or "")
    markup = _CENTS_ELEMENT.sub(r"<sup>\g<cents></sup>", markup)
    markup = _SUPERSCRIPT_CENTS.sub(_joined_cents, markup)
    body = LexborHTMLParser(markup).body
    return clean(body.text(separator=" ")) if body is not None else None


def _named_cents(node: LexborNode) -> bool:
    """Whether a child element named "cents" holds the cents. Asked of lexbor first: most
    price elements have no such child, and serializing each one costs more."""
    if node.css_first("[class*=cents]") is None:
        return False
    return _CENTS_ELEMENT.search(node.html or "") is not None


def _joined_cents(match: re.Match[str]) -> str:
    """ "1.299<sup>99</sup>" -> "1.299,99": the mark the amount's thousands do not use."""
    before = _AMOUNT_TAIL.search(match.string, 0, match.start())
    mark = match.group("mark") or ("," if before and "." in before.group() else ".")
    sign = match.group("sign") or match.group("inside") or match.group("after") or ""
    close = match.group("close") or ""  # "79</span><sup>99</sup>": the whole part's own
    return f"{match.group('int')}{mark}{match.group('cents')}{close} {sign}".rstrip()
