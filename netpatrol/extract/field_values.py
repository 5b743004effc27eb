"""A text read as a seller's name or as a place, or as neither."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from netpatrol.extract.dom import clean
from netpatrol.extract.price_like import price_like
from netpatrol.extract.shipping import NO_PLACE

MAX_FIELD_TEXT = 120
MAX_LOCATION_WORDS = 8  # a longer text is a description, not a place


def field_value(node: LexborNode, field: str) -> str | None:
    """The element's text, if short, as a seller's name or a place; None when it reads
    as neither (a price, a rating, a button's words, a paragraph)."""
    text = clean(node.text(separator=" "))
    if not text or len(text) > MAX_FIELD_TEXT:
        return None
    value = seller_name(node, text) if field == "seller" else place(text)
    if field == "location" and value and _REGION_CODE.fullmatch(value) and node.parent:
        # "<span class=town>Milano </span><span class=city>(MI)</span>": the code alone
        # is read with the place beside it.
        around = clean(node.parent.text(separator=" "))
        value = place(around) if around and len(around) <= MAX_FIELD_TEXT else None
    if not value or price_like(value) or _UI.fullmatch(value) is not None:
        return None
    return value if any(c.isalpha() for c in value) else None


_REGION_CODE = re.compile(r"\([A-Z]{1,3}\)")


def seller_name(node: LexborNode, text: str) -> str | None:
    """For a seller, the name its first link shows when it has one ("Sold by <a>ShopX</a>",
    a block with ratings beside it); else the text without labels, ratings and the
    facts that follow the name ("Privat · Peter M. · auf tutti.ch seit 2013")."""
    if _LOGGED_IN.match(text) is not None:  # the visitor's own account, in the header
        return None
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
    elif link is None:
        text = _first_part(node) or text
    segments = [s for s in _SEGMENT.split(_unrated(unlabel(text))) if s]
    value = next((_unrated(unlabel(s)) for s in segments if not _ACCOUNT.fullmatch(s)), None)
    if not value or _SELLER_WORD.search(value) is not None:
        return None  # "Save this seller", "Información del vendedor": no name
    if not any(c.isalpha() for c in _RATING_ANY.sub(" ", value)):
        return None  # "4.8 out of 5 stars 4.8 (4,935 reviews)": a rating, no name
    return value


MAX_NAME_PART = 60


def _first_part(box: LexborNode) -> str | None:
    """In a seller's card of blocks (the name, "Member since 2017", ratings, a button),
    the first block's text that is no label or account kind: the name comes first."""
    parts = [t for child in box.iter(include_text=False) if (t := clean(child.text()))]
    if len(parts) < 2:
        return None
    for part in parts:
        if _ACCOUNT.fullmatch(part) or _LABEL.fullmatch(part):
            continue
        return part if len(part) <= MAX_NAME_PART else None
    return None


def place(text: str) -> str | None:
    """The text as a place: no date or time after it, no map link, and not a sentence
    ("Verkauf und Versand durch Amazon.", a form's message) or a question ("dove ti
    trovi?", a site's country picker); an address has its commas."""
    value = _AFTER_PLACE.sub("", _MAP_LINK.sub("", _WHEN.sub("", unlabel(text))))
    value = value.strip(" ,-·|")
    words = len(value.split())
    sentence = words >= 3 and value.endswith(".") and "," not in value
    if not value or words > MAX_LOCATION_WORDS or sentence or "?" in value:
        return None
    return None if NO_PLACE.fullmatch(value) else value


# A distance or a delivery offer after the place: "Lyon 69003 · 2 km", "Berlin (12 km)",
# "Madrid · Envío disponible".
_AFTER_PLACE = re.compile(
    r"(?:\s*[·|•,]\s*|\s+)\(?\d+(?:[.,]\d+)?\s?km\)?\s*$|"
    r"\s*[·|•,-]\s*(?:delivery|shipping|livraison|versand|envío|envio|spedizione|"
    r"bezorging|verzending|wysyłka|doručení|leverans)\b.*$",
    re.IGNORECASE,
)
# A link to the map after the place.
_MAP_LINK = re.compile(
    r"\s+(?:(?:view|show|see|open)\s+(?:on\s+)?(?:the\s+)?map|voir\s+(?:sur\s+)?la\s+carte|"
    r"(?:karte|auf\s+der\s+karte)\s+(?:anzeigen|ansehen)|ver\s+(?:en\s+el\s+)?mapa|"
    r"mostra\s+(?:sulla\s+)?mappa|bekijk\s+(?:op\s+)?(?:de\s+)?kaart|zobacz\s+na\s+mapie|"
    r"zobrazit\s+na\s+mapě|visa\s+på\s+karta|vis\s+på\s+kart)\s*$",
    re.IGNORECASE,
)


# A seller's rating or sales count after the name: "darkstar (98%)", "shop [4.9]", "x (1234)",
# "sammlerstube-ruhr (4904) 98,7%", "shop 4.9 out of 5 stars (38,949) 38,949 reviews".
_RATING = re.compile(
    r"(?:\s*(?:[(\[]\s*\d(?:[\d.,\s\u00a0\u202f']*\d)?\s*%?\s*(?:/\s*[\d.,]+\s*)?[)\]]|[\d.,]+\s*%(?:\s+\w+){0,2}|"
    r"[\d.,]+\s*(?:out\s+of\s+5(?:\s+stars)?|stars?|★+|reviews?|ratings?|sales|avis|"
    r"bewertungen|ventes|ventas|vendite|verkopen|ocen|opinii|hodnocení)))+\s*$",
    re.IGNORECASE,
)


# A rating's parts anywhere in a text: what is left of a rating alone is no letter.
_RATING_ANY = re.compile(
    r"\d+(?:[.,]\d+)?|out\s+of|stars?|★|☆|reviews?|ratings?|avis|bewertungen|sales|"
    r"positive|feedback|[()\[\]%/]",
    re.IGNORECASE,
)


def _unrated(name: str) -> str:
    return _RATING.sub("", name).strip()


_SEGMENT = re.compile(r"\s+[·•|]\s+")
# Kinds of account that stand before or after the name on classified ads.
_ACCOUNT = re.compile(
    r"privat|private?|particuli(?:er|ère)|particular|privato|prywatny|soukrom[ýá]|"
    r"gewerblich(?:er\s+anbieter)?|privatanbieter|privatverkäufer|händler|"
    r"professionn?el|professional|pro|business|firma|empresa|azienda|"
    r"частное лицо|компания|магазин",
    re.IGNORECASE,
)
# A seller word left in the value: the text names the role, not who has it.
_SELLER_WORD = re.compile(
    r"\b(?:sellers?|vendors?|vendeur|verkäufer\w*|anbieter\w*|vendedor|venditore|verkoper|"
    r"sprzedaw\w*|"
    r"sprzedaj\w*|prodejce|prodávající|predajca|säljare|sælger|selger|myyjä|eladó|vânzător|"
    r"πωλητής|продавец|продавца)\b|판매자|卖家|賣家|出品者|販売者",
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
    r"(?:^|\s*[-·|,]\s*|\s+)(?:today|yesterday|closes|heute|gestern|aujourd['’]hui|hier|hoy|ayer|"
    r"oggi|ieri|dzisiaj|wczoraj|vandaag|gisteren|idag|igår|i\s+dag|i\s+går|tänään|eilen|"
    r"dnes|včera|tegnap|azi|σήμερα|χθες|сегодня|вчера|"
    # "Refreshed on ...": when the ad was bumped, after its place (OLX).
    r"reîmprospătat|odświeżon\w*|refreshed|updated|aktualisiert|actualizado|atualizado)\b.*$"
    # A date in figures: "8010 Graz 17.05.2025".
    r"|\s*[-·|,]?\s*\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})\s*$"
    # A date with its month's name: "Braga - 2 de junho", "Lyon, 12 juin 2025".
    r"|\s*[-·|,]\s*\d{1,2}\.?\s+(?:de\s+)?(?:jan|feb|fév|fev|mär|mar|apr|avr|abr|may|mai|"
    r"mag|maj|mei|jun|jui|giu|jul|lug|aug|aoû|ago|sep|set|okt|oct|ott|out|nov|dez|dec|déc|"
    r"dic|gen|ene|sty|lut|kwi|cze|lip|sie|wrz|paź|lis|gru)[^\W\d_]*\.?(?:\s+\d{4})?\s*$"
    # A date and a time: "Torino (TO) 10 mag alle 18:42", "Lyon, 12 juin à 09:15".
    r"|(?:\s*[-·|,]\s*|\s+)(?:\d{1,2}\.?\s+[^\W\d_]{3,10}\.?\s+)?(?:\d{4}\s+)?"
    r"(?:alle|um|à|at|om|kl\.?|a\s+las|às|o)?\s*\d{1,2}[:h]\d{2}\b.*$",
    re.IGNORECASE,
)
# "Logged in as kiwi_wanderer", "Hello, Anna": who reads the page, not who sells.
_LOGGED_IN = re.compile(
    r"(?:logged\s+in\s+as|signed\s+in\s+as|welcome(?:\s+back)?,?|hello,|hi,|"
    r"connecté(?:e)?\s+en\s+tant\s+que|angemeldet\s+als|conectado\s+como|"
    r"collegato\s+come|ingelogd\s+als|zalogowan[yа]\s+jako|přihlášen\s+jako)\b",
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
    r"locatie|plaats|localização|lokalizacja|lokalita|plats|sijainti|helyszín|locație|"
    r"(?:ваш\s+)?город|местоположение|місто|τοποθεσία)\s*:|"
    # Where the label stands before the name with no colon: "Sprzedający monika_gda".
    r"(?:sprzedający|sprzedawca|prodejce|prodávající|säljare|myyjä|eladó|vânzător|"
    r"продавец)\s*:?\s|"
    # Labels that end in a preposition need no colon: "Sold by ShopX", "Located in Riga".
    r"(?:sold\s+by|ad\s+by|from\s+shop|vendu\s+par|verkauft\s+von|venduto\s+da|"
    r"vendido\s+por|verkocht\s+door|"
    r"verkoop\s+door|sprzedawane\s+przez|prodává|vândut(?:\s+(?:și|si)\s+livrat)?\s+de|"
    r"located\s+in|situ[ée]\s+à|ships\s+from|shipping\s+from|exp[ée]di[ée]\s+depuis|"
    r"versand\s+aus|spedito\s+da|enviado\s+desde)\s*:?|"
    # A place's label with no colon, before the place's capital: "Emplacement Villeurbanne".
    r"(?:emplacement|localisation|lieu|standort|ubicación|località|lokalizacja|location|"
    r"from|aus|desde|depuis|uit)"
    r"\s+(?=(?-i:[A-ZÀ-Ý0-9])))\s*",
    re.IGNORECASE,
)


def unlabel(text: str) -> str:
    """The value without a leading field label; the text as it is when nothing follows."""
    rest = _LABEL.sub("", text, count=1)
    return rest or text
