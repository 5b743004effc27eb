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

from netpatrol.extract.dom import clean, element_markers
from netpatrol.extract.furniture import Verdicts, in_furniture
from netpatrol.extract.price_like import price_like

MAX_FIELD_TEXT = 120
MAX_LOCATION_WORDS = 8  # a longer text is a description, not a place

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
    prefixes = _PREFIXES[field]
    # "bigusername" (vBulletin) names a user too.
    return any(
        (w.startswith(prefixes) and not w.endswith("s"))
        or (field == "seller" and w.endswith("username"))
        for w in words
    )


@lru_cache(maxsize=65536)
def _calls_a_name(values: tuple[str | None, ...]) -> bool:
    return any(w in _NAME_WORDS for v in values if v for w in words_of(v))


# Form controls: a select's options, a login field, a button's action.
_CONTROL_TAGS = frozenset({"select", "option", "optgroup", "input", "textarea", "button", "label"})
# What stands around buyers' words: reviews, comments, questions and answers, and the
# review widgets shops embed (Bazaarvoice "bv-", Yotpo, Judge.me "jdgm", Trustpilot, ...).
_NOT_THE_OFFERS = re.compile(
    r"(?<!p)review|comment|testimonial|rezension|bewertung|recensione|rese[ñn]a|avalia[cç]|"
    r"recenz|hodnocen|opinion|opinie|(?<![a-z])avis(?![a-z])|question|(?<![a-z])faq|"
    r"(?<![a-z])bv-|yotpo|jdgm|stamped|okendo|trustpilot|feefo|reevoo"
)
_SEARCH = re.compile(r"search|recherche|suche|busca|ricerca|zoek|szukaj|hledat")
_TOP = frozenset({"body", "html", "#document"})


class _Context:
    """Per walk: which ancestors stand in what is not the offer's (each judged once)."""

    def __init__(self, root: LexborNode, page: bool) -> None:
        self.root_id = root.mem_id
        self.page = page
        self.outside: dict[int, bool] = {}
        self.furniture: Verdicts = {}

    def excluded(self, node: LexborNode) -> bool:
        if node.tag in _CONTROL_TAGS or _not_the_offers(node):
            return True
        if self.page and in_furniture(node, self.furniture):
            return True
        return self._inside_excluded(node)

    def _inside_excluded(self, node: LexborNode) -> bool:
        chain: list[int] = []
        current = node.parent
        verdict = False
        while current is not None and node.mem_id != self.root_id and current.tag not in _TOP:
            known = self.outside.get(current.mem_id)
            if known is not None:
                verdict = known
                break
            chain.append(current.mem_id)
            if _not_the_offers(current) or (self.page and _search_form(current)):
                verdict = True
                break
            if current.mem_id == self.root_id:
                break
            current = current.parent
        for mem_id in chain:
            self.outside[mem_id] = verdict
        return verdict


def _not_the_offers(node: LexborNode) -> bool:
    markers = element_markers(node)
    if node.attributes.get("itemprop") == "review":
        return True
    return bool(markers) and _NOT_THE_OFFERS.search(markers) is not None


def _search_form(node: LexborNode) -> bool:
    if node.tag == "search" or node.attributes.get("role") == "search":
        return True
    return node.tag == "form" and _SEARCH.search(element_markers(node)) is not None


def fields_by_class(
    root: LexborNode, fields: tuple[str, ...], page: bool = False
) -> dict[str, str]:
    """The first short text per field whose element's class/id/itemprop names it, in
    one walk over the elements (the root included). ``page``: the root is a page's body,
    whose furniture (header, menus, footer, other products) is no part of the offer."""
    found: dict[str, str] = {}
    boxes: dict[str, LexborNode] = {}  # fields taken from a box, not from a name
    context = _Context(root, page)
    for node in root.traverse(include_text=False):
        attributes = node.attributes
        if not attributes:  # most elements: no key to build, nothing to judge
            continue
        get = attributes.get
        key = (get("class"), get("id"), get("itemprop"))
        matched = hinted_fields(key, fields)
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
            if value is not None:
                found[field] = value
                if named:
                    boxes.pop(field, None)
                else:
                    boxes[field] = node
        if len(found) == len(fields) and not boxes:
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


def field_value(node: LexborNode, field: str) -> str | None:
    """The element's text, if short, as a seller's name or a place; None when it reads
    as neither (a price, a rating, a button's words, a paragraph)."""
    text = clean(node.text(separator=" "))
    if not text or len(text) > MAX_FIELD_TEXT:
        return None
    value = seller_name(node, text) if field == "seller" else place(text)
    if not value or price_like(value) or _UI.fullmatch(value) is not None:
        return None
    return value if any(c.isalpha() for c in value) else None


def seller_name(node: LexborNode, text: str) -> str | None:
    """For a seller, the name its first link shows when it has one ("Sold by <a>ShopX</a>",
    a block with ratings beside it); else the text without labels, ratings and the
    facts that follow the name ("Privat · Peter M. · auf tutti.ch seit 2013")."""
    link = node if node.tag == "a" else node.css_first("a")
    name = clean(link.text(separator=" ")) if link is not None else None
    generic = bool(name) and _GENERIC_LINK.search(name or "") is not None
    if name and len(name) > 1 and not generic:
        text = name
    elif name and generic:  # "Contact vendor" beside the name: not part of it
        rest = clean(text.replace(name, " "))
        if rest is None:  # "Visit Shop" alone
            return None
        text = rest
    segments = [s for s in _SEGMENT.split(_unrated(unlabel(text))) if s]
    value = next((_unrated(unlabel(s)) for s in segments if not _ACCOUNT.fullmatch(s)), None)
    if not value or _SELLER_WORD.search(value) is not None:
        return None  # "Save this seller", "Información del vendedor": no name
    return value


def place(text: str) -> str | None:
    """The text as a place: no date or time after it, and not a sentence ("Verkauf und
    Versand durch Amazon.", a form's message); an address has its commas."""
    value = _WHEN.sub("", unlabel(text)).strip(" ,-·|")
    words = len(value.split())
    sentence = words >= 3 and value.endswith(".") and "," not in value
    if not value or words > MAX_LOCATION_WORDS or sentence:
        return None
    return value


# A seller's rating or sales count after the name: "darkstar (98%)", "shop [4.9]", "x (1234)",
# "sammlerstube-ruhr (4904) 98,7%", "shop 4.9 out of 5 stars (38,949) 38,949 reviews".
_RATING = re.compile(
    r"(?:\s*(?:[(\[]\s*[\d.,]+\s*%?\s*(?:/\s*[\d.,]+\s*)?[)\]]|[\d.,]+\s*%(?:\s+\w+){0,2}|"
    r"[\d.,]+\s*(?:out\s+of\s+5(?:\s+stars)?|stars?|★+|reviews?|ratings?|sales|avis|"
    r"bewertungen|ventes|ventas|vendite|verkopen|ocen|opinii|hodnocení)))+\s*$",
    re.IGNORECASE,
)


def _unrated(name: str) -> str:
    return _RATING.sub("", name).strip()


_SEGMENT = re.compile(r"\s+[·•|]\s+")
# Kinds of account that stand before or after the name on classified ads.
_ACCOUNT = re.compile(
    r"privat|private?|particuli(?:er|ère)|particular|privato|prywatny|soukrom[ýá]|"
    r"gewerblich|professionn?el|professional|pro|business|firma|empresa|azienda|"
    r"частное лицо|компания|магазин",
    re.IGNORECASE,
)
# A seller word left in the value: the text names the role, not who has it.
_SELLER_WORD = re.compile(
    r"\b(?:sellers?|vendors?|vendeur|verkäufer|vendedor|venditore|verkoper|sprzedaw\w*|"
    r"sprzedaj\w*|prodejce|prodávající|predajca|säljare|sælger|selger|myyjä|eladó|vânzător|"
    r"πωλητής|продавец|продавца)\b",
    re.IGNORECASE,
)
# Words of the page's own controls, never a name or a place.
_UI = re.compile(
    r"sign\s+in|log\s*in|register|my\s+account|account|konto|mein\s+konto|anmelden|einloggen|"
    r"se\s+connecter|connexion|mon\s+compte|iniciar\s+sesi[óo]n|mi\s+cuenta|accedi|"
    r"inloggen|zaloguj(?:\s+si[ęe])?|přihlásit|logga\s+in|kirjaudu|bejelentkezés|"
    r"report(?:\s+an?\s+\w+)?|close|fermer|schlie(?:ß|ss)en|cerrar|chiudi|sluiten|"
    r"hirdetés\s+jelentése|signaler(?:\s+l'annonce)?|melden|denunciar|segnala",
    re.IGNORECASE,
)
# When, after where: "Milano (MI) Oggi alle 11:42", "Warszawa - Dzisiaj 12:30",
# "Auckland City Closes Sat 7:30pm".
_WHEN = re.compile(
    r"(?:\s*[-·|,]\s*|\s+)(?:today|yesterday|closes|heute|gestern|aujourd'hui|hier|hoy|ayer|"
    r"oggi|ieri|dzisiaj|wczoraj|vandaag|gisteren|idag|igår|i\s+dag|i\s+går|tänään|eilen|"
    r"dnes|včera|tegnap|azi|σήμερα|χθες|сегодня|вчера)\b.*$",
    re.IGNORECASE,
)

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
    r"locatie|plaats|localização|lokalizacja|lokalita|plats|sijainti|helyszín|locație)\s*:|"
    # Where the label stands before the name with no colon: "Sprzedający monika_gda".
    r"(?:sprzedający|sprzedawca|prodejce|prodávající|säljare|myyjä|eladó|vânzător|"
    r"продавец)\s*:?\s|"
    # Labels that end in a preposition need no colon: "Sold by ShopX", "Located in Riga".
    r"(?:sold\s+by|vendu\s+par|verkauft\s+von|venduto\s+da|vendido\s+por|verkocht\s+door|"
    r"verkoop\s+door|sprzedawane\s+przez|prodává|vândut(?:\s+(?:și|si)\s+livrat)?\s+de|"
    r"located\s+in|situ[ée]\s+à|ships\s+from|shipping\s+from|exp[ée]di[ée]\s+depuis|"
    r"versand\s+aus|spedito\s+da|enviado\s+desde)\s*:?)\s*",
    re.IGNORECASE,
)


def unlabel(text: str) -> str:
    """The value without a leading field label; the text as it is when nothing follows."""
    rest = _LABEL.sub("", text, count=1)
    return rest or text
