"""An offer's seller and location, from the elements whose markup names them so.

A class, id or itemprop says where a seller's name or an item's place stands
("seller-name", "item-location", itemprop="addressLocality"). Its words are matched whole:
"short-description" holds no "ort" (German for place), "original-price" no "origin",
"review-sort" and "report" no "ort". An element counts only outside what is not the
offer's own: the page's furniture (header, menus, footer, other products' boxes), buyers'
reviews and questions (their authors and cities), form controls, a search form. A box
that holds the seller's name and more ("SellerInfo-root": name, member since, response
time) gives way to the element inside it that its markup calls the name.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from selectolax.lexbor import LexborNode

from netpatrol.extract.field_values import field_value
from netpatrol.extract.labelled import KEY_TAG_IDS, take_labelled
from netpatrol.extract.offer_context import OfferContext

# Words of a class, id or itemprop that name the field, matched as whole words; names
# written as one word or two ("shopName", "shop-name") are joined before the match.
_WORDS = {
    "seller": frozenset(
        {
            "seller",
            "vendor",
            "vendeur",
            "verkaeufer",
            "verkäufer",
            "venditore",
            "vendedor",
            "verkoper",
            "anbieter",
            "haendler",
            "händler",
            "shopname",
            "storename",
            "username",
            "userprofile",
            "annonceur",
        }
    ),
    "location": frozenset(
        {
            "location",
            "locality",
            "city",
            "ville",
            "lieu",
            "region",
            "ort",
            "address",
            "origin",
            "shipfrom",
            "shipsfrom",
            "shippingfrom",
            # The same in the shop languages ("itemprop=emplacement", "class=standort").
            "emplacement",
            "localisation",
            "localité",
            "località",
            "localizacion",
            "localización",
            "localizacao",
            "localização",
            "ubicacion",
            "ubicación",
            "standort",
            "wohnort",
            "lokalizacja",
            "lokalita",
            "lokace",
            "locatie",
            "plaats",
            "sijainti",
        }
    ),
}
# Words long and rare enough to name the field at the start of a longer word too
# ("sellerInfo", "locationtext"; not "sellers", the best sellers' box).
_PREFIXES = {
    "seller": ("seller", "vendor", "verkaeufer", "verkäufer", "anbieter", "username"),
    "location": ("location", "locality"),
}
# leboncoin's card says where with class="placement"; an ad slot's id or class ends in
# "placement" ("klarna-placement", "ape_Detail_..._placement"): the whole value only.
_WHOLE_VALUES = {"location": frozenset({"placement"})}
# Markup of what names an element: the name itself, not the box around it.
_NAME_WORDS = frozenset({"name", "username", "nick", "nickname", "login", "handle", "shopname"})

# Words of a control that sets or checks a place or a name ("update-location-link",
# "city_missing", "location_hints_box"): its text is the control's, not the offer's.
_CONTROL_WORDS = frozenset(
    {
        "update",
        "change",
        "select",
        "selector",
        "picker",
        "choose",
        "switcher",
        "toggle",
        "modal",
        "popup",
        "dropdown",
        "error",
        "invalid",
        "missing",
        "validation",
        "hint",
        "hints",
        "suggest",
        "suggestions",
        "autocomplete",
    }
)
# An icon's class ("icon icon-pin-gray", "fa fa-map-marker") drawn before a place.
_ICON_WORDS = frozenset({"icon", "ico", "fa", "fas", "bi", "glyphicon", "material"})
_PLACE_ICONS = frozenset({"pin", "marker", "map", "geo", "place", "location", "globe"})
_CAMEL = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])")
_NOT_LETTERS = re.compile(r"[\W\d_]+")


def words_of(value: str) -> list[str]:
    """The words of a class, id or itemprop value, lower-cased: "SellerInfo-name" ->
    seller, info, name."""
    return [w for w in _NOT_LETTERS.split(_CAMEL.sub(" ", value).lower()) if w]


@lru_cache(maxsize=65536)
def hinted_fields(values: tuple[str | None, ...], fields: tuple[str, ...]) -> tuple[str, ...]:
    """The fields whose words the element's (class, id, itemprop) hold; pages repeat the
    same few values, each is judged once per process."""
    words: list[str] = []
    for value in values:
        if value:
            words.extend(words_of(value))
    if not words:
        return ()
    joined = {a + b for a, b in pairwise(words)}
    present = {*words, *joined}
    if present & _CONTROL_WORDS:
        return ()
    whole = {v.strip().lower() for v in values if v}
    return tuple(f for f in fields if _names(f, present, whole))


def _names(field: str, words: set[str], whole: set[str]) -> bool:
    if words & _WORDS[field] or whole & _WHOLE_VALUES.get(field, frozenset()):
        return True
    if field == "location" and _is_place_icon(words):
        return True
    prefixes = _PREFIXES[field]
    # "bigusername" (vBulletin) names a user too.
    return any(
        (w.startswith(prefixes) and not w.endswith("s"))
        or (field == "seller" and w.endswith("username"))
        for w in words
    )


@lru_cache(maxsize=65536)
def _place_icon(values: tuple[str | None, ...]) -> bool:
    return _is_place_icon({w for v in values if v for w in words_of(v)})


def _is_place_icon(words: set[str]) -> bool:
    """An icon's words and a place's: "icon icon-pin-gray", "fa fa-map-marker"."""
    return bool(words & _ICON_WORDS) and bool(words & _PLACE_ICONS)


@lru_cache(maxsize=65536)
def _calls_a_name(values: tuple[str | None, ...]) -> bool:
    return any(w in _NAME_WORDS for v in values if v for w in words_of(v))


def seller_and_location(root: LexborNode, page: bool = False) -> dict[str, str]:
    """The offer's seller and location: where the page labels them ("Vendor", "Ships
    from"), else where its markup names them. ``page``: the root is a page's body."""
    fields = ("seller", "location")
    labelled: dict[str, str] = {}
    by_class = fields_by_class(root, fields, page, labelled)
    return {**by_class, **labelled}


def fields_by_class(
    root: LexborNode,
    fields: tuple[str, ...],
    page: bool = False,
    labelled: dict[str, str] | None = None,
) -> dict[str, str]:
    """The first short text per field whose element's class/id/itemprop names it, in
    one walk over the elements (the root included). ``page``: the root is a page's body,
    whose furniture (header, menus, footer, other products) is no part of the offer.
    ``labelled``, when given, receives in the same walk the values that key elements
    label (labelled.take_labelled)."""
    found: dict[str, str] = {}
    boxes: dict[str, LexborNode] = {}  # fields taken from a box, not from a name
    context = OfferContext(root, page)
    verdicts: dict[tuple[str | None, ...], tuple[str, ...]] = {}
    wanted_labels = len(fields) if labelled is not None else 0
    for node in root.traverse(include_text=False):
        if labelled is not None and node.tag_id in KEY_TAG_IDS and len(labelled) < wanted_labels:
            take_labelled(node, fields, labelled, context)
        attributes = node.attributes
        if not attributes:  # most elements: no key to build, nothing to judge
            continue
        get = attributes.get
        key = (get("class"), get("id"), get("itemprop"), get("data-testid") or get("data-test-id"))
        matched = verdicts.get(key)
        if matched is None:  # a dict in front of the process-wide cache: cheaper per element
            matched = verdicts[key] = hinted_fields(key, fields)
        if not matched:
            continue
        wanted = [f for f in matched if f not in found or _inside(node, boxes.get(f))]
        if not wanted or context.excluded(node):
            continue
        named = _calls_a_name(key)
        for field in wanted:
            if field in found and not named:
                continue  # the box's own value stands, unless this is its name
            value = field_value(node, field)
            if value is None and _place_icon(key) and node.parent is not None:
                # A pin drawn before the place: "<i class="icon-pin"></i> 50667 Köln".
                value = field_value(node.parent, field)
            if value is not None:
                found[field] = value
                if named:
                    boxes.pop(field, None)
                else:
                    boxes[field] = node
        if len(found) == len(fields) and not boxes and len(labelled or ()) == wanted_labels:
            break
    return found


def _inside(node: LexborNode, box: LexborNode | None) -> bool:
    if box is None:
        return False
    target = box.mem_id
    current = node.parent
    while current is not None:
        if current.mem_id == target:
            return True
        current = current.parent
    return False
