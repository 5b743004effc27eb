"""Seller and location where the page labels them: a key element and its value beside it.

Markets and classified sites lay an offer's facts out as key and value: a definition list
(``<dt>Vendor</dt><dd>IberiaDirect</dd>``), a table row (``<th>Ships from</th><td>Belgium
</td>``, ``<td>Vendor:</td><td>...</td>``), a form-like row (``<label>Vendor</label><span>
...</span>``) or a box under a heading (``<h2>Localitate</h2><div>Cluj-Napoca</div>``).
A key whose whole text is a field's label gives that field the text of the element after it.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from netpatrol.extract.card_places import is_place
from netpatrol.extract.dom import clean, element_markers
from netpatrol.extract.field_values import field_value
from netpatrol.extract.offer_context import OfferContext

# The elements that hold a key, by lexbor's tag id (a walk compares one per element).
KEY_TAGS = ("dt", "th", "td", "label", "h2", "h3", "h4", "h5", "h6")
KEY_TAG_IDS = frozenset(
    node.tag_id
    for node in LexborHTMLParser(
        "<dl><dt></dt></dl><table><tr><th></th><td></td></tr></table><label></label>"
        "<h2></h2><h3></h3><h4></h4><h5></h5><h6></h6>"
    ).css(", ".join(KEY_TAGS))
)
MAX_KEY_TEXT = 40
# An element inside a value box that its markup calls the name.
_NAMED = '[class*="name" i], [data-testid*="name" i], [itemprop="name"]'

_LABELS = {
    "seller": re.compile(
        r"(?:vendor|seller|sold\s+by|vendeur|vendu\s+par|verk[äa]ufer|verkauft\s+von|anbieter|"
        r"vendedor|vendido\s+por|venditore|venduto\s+da|verkoper|verkocht\s+door|"
        r"sprzedawca|sprzedaj[aą]cy|prodejce|prodávající|predajca|säljare|sælger|selger|"
        r"myyjä|eladó|vânzător|πωλητής|продавец)\s*:?",
        re.IGNORECASE,
    ),
    "location": re.compile(
        r"(?:(?:item\s+)?location|located\s+in|ships?\s+from|shipping\s+from|sent\s+from|"
        r"dispatched\s+from|exp[ée]di[ée]?\s+depuis|envoy[ée]\s+de|versand\s+aus|"
        r"env[íi]o\s+desde|enviado\s+desde|spedito\s+da|verzonden\s+vanuit|"
        r"localisation|lieu|ville|standort|ort|ubicaci[óo]n|localizaci[óo]n|localit[àa]|"
        r"luogo|locatie|plaats|lokalizacja|lokalita|umístění|plats|sijainti|"
        r"helyszín|localitate|loca[țţ]ie|τοποθεσία|местоположение|город)\s*:?",
        re.IGNORECASE,
    ),
}


def take_labelled(
    key: LexborNode, fields: tuple[str, ...], found: dict[str, str], context: OfferContext
) -> None:
    """If ``key`` (an element of KEY_TAGS) labels a field not found yet, give that field
    the value beside it."""
    text = key.text(strip=True)
    if not text or len(text) > MAX_KEY_TEXT:
        return
    label = clean(text) or ""
    field = next(
        (f for f in fields if f not in found and _LABELS[f].fullmatch(label) is not None),
        None,
    )
    if field is None:
        return
    value_node = _value_beside(key)
    if value_node is None or context.excluded(key, key=True) or context.excluded(value_node):
        return
    if field == "seller":  # a box beside the key: the name in it, not its other facts
        value_node = value_node.css_first(_NAMED) or value_node
    value = field_value(value_node, field)
    if value is not None:
        found[field] = value


def _element_sibling(node: LexborNode, after: bool) -> LexborNode | None:
    """The element after (or before) ``node``; whitespace text nodes may stand between."""
    sibling = node.next if after else node.prev
    while sibling is not None and not sibling.is_element_node:
        sibling = sibling.next if after else sibling.prev
    return sibling


def _value_beside(key: LexborNode) -> LexborNode | None:
    """The element after the key."""
    node = _element_sibling(key, after=True)
    # A table's header row, a heading after a heading: keys, no value.
    if node is not None and (node.tag == "th" or node.tag in _HEADINGS):
        return None
    return node


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


# A business account's badge on a result card, the shop's name after it ("<span>
# Forhandler</span> <span>Friluftsbua AS</span>", "Pro Garage des Brotteaux").
_BUSINESS_BADGE = re.compile(
    r"gewerblich|händler|forhandler|dealer|professionn?el|professional|pro|business|"
    r"firma|empresa|azienda|negozio|tienda|butik|yritys|cég|firmă|компания|магазин",
    re.IGNORECASE,
)
MAX_BADGE_NAME = 40
# What stands after a badge and names no one: a date, a time, a delivery offer.
_NOT_A_NAME = re.compile(
    r"\d|livraison|delivery|shipping|versand|env[íi]o|spedizione|bezorging|verzending|"
    r"wysyłka|doručení|leverans|possible|möglich|disponible",
    re.IGNORECASE,
)


def badge_seller(card: LexborNode) -> str | None:
    """The name beside a business account's badge on a card (after it, or before it:
    "Garage des Brotteaux [Pro]"), else None."""
    for node in card.traverse(include_text=False):
        text = node.text(strip=True)
        if len(text) > MAX_KEY_TEXT or not _BUSINESS_BADGE.fullmatch(text):
            continue
        for name_node in (_value_beside(node), _element_before(node)):
            value = _badge_name(name_node) if name_node is not None else None
            if value is not None:
                return value
    return None


def _badge_name(node: LexborNode) -> str | None:
    name = clean(node.text(separator=" "))
    if (
        not name
        or len(name) > MAX_BADGE_NAME
        or _NOT_A_NAME.search(name) is not None
        or is_place(name)
    ):
        return None
    return field_value(node, "seller")


def _element_before(node: LexborNode) -> LexborNode | None:
    """The element before the badge, when its markup calls it a name ("ad-pro-name"): the
    text before a badge is as often the item's condition ("Używane")."""
    before = _element_sibling(node, after=False)
    if before is None or _NAMED_MARK.search(element_markers(before)) is None:
        return None
    return before


_NAMED_MARK = re.compile(r"name|seller|shop|store|vendor|user")
