"""Quantities in ads: how many items, tablets, grams ... an offer is for, and how many
wildlife specimens a listing sells.

`parse_quantity` returns ``Quantity(value, unit)``, unit one of ``item specimen tablet
capsule ampoule vial blister kg g ml l``. Candidates, best first (the first in the text wins
among equals):

1. a count times a pack: "3 x 30 tablets" = 90 tablet, "2 x 500 g" = 1000 g;
2. an explicit count of items: "lot de 3", "lot of five", "set of 4", "pack of 12",
   "3er-Pack", "3 pcs" / "3 Stück" / "3 szt." / "3 ks", "10x" / "x10" / "10 x" (but not
   "12x18 cm"), "a pair of" / "une paire de" / "ein Paar" = 2 item (pairs are counted as
   their items: "3 pairs" = 6 item), "dozen" / "douzaine" = 12, "3 specimens";
3. a pharmaceutical count: "100 tabs", "30 tablets", "60 caps", "10 amp", "5 vials",
   "3 blisters" (not a dosing instruction such as "1 tablet a day");
4. a weight or volume: "5 kg", "500 g", "250 ml", "1 l" (cl -> ml, oz -> g, lb -> kg).

Never a quantity: a dose or strength ("20 mg", "100mcg", "5 ml/kg", "0.5%"), a year, a
price, a size ("30 cm", "12x18 cm"). Number words 1-12 are read in EN/FR/DE/ES/IT/NL
(plus 2-12 in PL/CZ) where a count is expected; a lone article ("un", "ein") is no count.
Only the first 10,000 characters are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain

from netpatrol.extract.price import to_number
from netpatrol.extract.price_like import UNSAFE_CASE
from netpatrol.extract.wordtrie import word_trie

QUANTITY_SCAN = 10_000
SPECIMEN_TEXT_SCAN = 3_000  # counts are stated early in a description
MAX_SPECIMENS = 1_000  # "2022 insects" is a year


@dataclass(frozen=True)
class Quantity:
    """An amount of something: ``value`` units of ``unit``."""

    value: float
    unit: str


_WORD_VALUES: dict[int, str] = {
    1: "one",
    2: "two deux zwei dos due twee dwa dva dvě",
    3: "three trois drei tres tre drie trzy tři",
    4: "four quatre vier cuatro quattro cztery čtyři",
    5: "five cinq fünf funf cinco cinque vijf pięć pět",
    6: "six sechs seis sei zes sześć šest",
    7: "seven sept sieben siete sette zeven siedem sedm",
    8: "eight huit acht ocho otto osiem osm",
    9: "nine neuf neun nueve nove negen dziewięć devět",
    10: "ten dix zehn diez dieci tien dziesięć deset",
    11: "eleven onze elf once undici",
    12: "twelve douze zwölf zwolf doce dodici twaalf dwanaście dvanáct",
}
NUMBER_WORDS = {word: value for value, words in _WORD_VALUES.items() for word in words.split()}
# As a trie (wordtrie): under re.IGNORECASE the engine enters every branch of a flat list
# of 86 words at every position of a text; this is most of what the count patterns cost.
_WORD = word_trie(list(NUMBER_WORDS))
# A count: digits (a unit may be glued: "3pcs") or a number word.
_N = r"(?<![\w#/.,])(\d{1,4}(?![\d/])|(?:" + _WORD + r")\b)"
_DEC = r"(?<![\w#/.,])(\d{1,5}(?:[.,]\d{1,3})?)(?![\d/])"  # a measure: may have decimals

# Group name -> pattern; "article" (items, units) counts as "item" too, but a shop's
# "2 items or more" is no specimen count.
_PIECES = {
    "item": r"pcs?\.?|pieces?|pièces?|stück|stck\.?|stk\.?|stuks?|pezzi|pz\.?|"
    r"piezas|pzas?\.?|uds\.?|unidades|unités|szt\.?|sztuk|ks|kusů|kusy|"
    # Hungarian, Finnish, Romanian, Turkish, Russian, Greek, Portuguese.
    # (Lower-case "db" only: "120 dB" is a siren's loudness.)
    r"(?-i:db)|kpl|buc\.?|bucăți|adet|шт\.?|τεμ\.?|pçs|peças|unid\.?",
    "article": r"units?|items?|articles|artikel",
    "specimen": r"specimens?|spécimens?|exemplaires|exemplare|ejemplares|esemplari|"
    r"exemplaren|okazy|exempláře|exemplářů",
}
_PHARMA = {
    "tablet": r"tabs?|tablets?|tablettes?|tabletten|tabl\.?|comprimés?|cpr|compresse|"
    r"comprimidos|tabletek|tablety|tabletki|pills?|pilules|pillen",
    "capsule": r"caps?|capsules?|kapseln?|gélules?|cápsulas|kapsułek|kapsułki|kapsle|kapslí",
    "ampoule": r"amps?|ampoules?|ampullen?|ampollas?|fiale|ampułek|ampułki|ampule|ampulí",
    "vial": r"vials?|flacons?|fläschchen|viales|flaconcini|fiolek",
    "blister": r"blisters?|blistry|blistrů",
}
# Unit as written -> (unit, factor).
_MEASURES = {
    "kg": ("kg", 1.0), "kgs": ("kg", 1.0), "kilo": ("kg", 1.0), "kilos": ("kg", 1.0),
    "g": ("g", 1.0), "gr": ("g", 1.0), "gram": ("g", 1.0), "grams": ("g", 1.0),
    "gramm": ("g", 1.0), "gramme": ("g", 1.0), "grammes": ("g", 1.0), "gramos": ("g", 1.0),
    "grammi": ("g", 1.0), "ml": ("ml", 1.0), "cl": ("ml", 10.0), "l": ("l", 1.0),
    "litre": ("l", 1.0), "litres": ("l", 1.0), "liter": ("l", 1.0), "liters": ("l", 1.0),
    "litros": ("l", 1.0), "litri": ("l", 1.0), "oz": ("g", 28.349523125),
    "lb": ("kg", 0.45359237), "lbs": ("kg", 0.45359237),
    "г": ("g", 1.0), "гр": ("g", 1.0), "кг": ("kg", 1.0), "мл": ("ml", 1.0), "л": ("l", 1.0),
}  # fmt: skip
_DOSING = r"(?!\s*(?:a|per|/|par|pro|al)\s*(?:day|jour|tag|día|dia|giorno|dzień|den)\b)"
_NOT_RATIO = r"(?!\s?/)(?!\s?per\b)"
_ALL_PHARMA = "|".join(f"(?P<{unit}>{pattern})" for unit, pattern in _PHARMA.items())
_ALL_PIECES = "|".join(f"(?P<{unit}>{pattern})" for unit, pattern in _PIECES.items())
_MEASURE_UNITS = "|".join(sorted(_MEASURES, key=len, reverse=True))

_PACK_RE = re.compile(
    r"(?<![\w.,])(\d{1,3})\s?[x×*]\s?" + _DEC + r"\s?(?:(?:" + _ALL_PHARMA + r")\b"
    r"|(?P<measure>" + _MEASURE_UNITS + r")\b" + _NOT_RATIO + ")",
    re.IGNORECASE,
)
_LOT_WORDS = [
    "lot", "lote", "lotto", "set", "pack", "packung", "paquet", "paquete", "box", "bundle",
    "kit", "batch", "confezione", "zestaw", "sada", "partij", "conjunto", "juego", "satz",
]  # fmt: skip
# A trie: only one of two words of which one starts the other ("lot", "lote") can be
# followed by the space, so the order they are tried in changes nothing.
_LOT_RE = re.compile(
    r"\b" + word_trie(_LOT_WORDS) + r"\s(?:of|de|di|van|aus|von|mit|z)\s" + _N,
    re.IGNORECASE,
)
_GERMAN_PACK_RE = re.compile(r"\b(\d{1,3})er[\s-]?(?:set|pack|packung|pck)\b", re.IGNORECASE)
_PIECES_RE = re.compile(_N + r"\s?(?:" + _ALL_PIECES + r")(?![^\W\d_])", re.IGNORECASE)
# "10x" / "10 x" not followed by a number; "x10" not preceded by one (so not "12 x 18").
# Not a model code: "AVR-X1800H", "(9087X)": four digits only with a space after the x.
_TIMES_RE = re.compile(
    r"(?<![\w.,])(\d{1,3}|\d{4}(?=\s?[x×]\s))\s?[x×](?!\s?\d)(?![^\W\d_])"
    r"|(?<![\w.,-])[x×]\s?(\d{1,4})(?![\d.,])(?![^\W\d_])(?!\s?[x×*]\s?\d)"
    r"(?!\s?(?:cm|mm|in\b|inch|\"))",
    re.IGNORECASE,
)
_SIZE_BEFORE_RE = re.compile(r"[\d\"”″'’]\s?$")  # "12 x 18", '6 1/2" x 4"'
_SIZE_AFTER_RE = re.compile(r"\s?(?:\d{1,2}/\d|[\"”″'’]|¼|½|¾)")
_PAIR_RE = re.compile(
    r"\b(?:a\s)?pair\sof\b|\bune\spaire\sde\b|(?-i:\b[Ee]in\sPaar\b)|\bun\spar\sde\b|"
    r"\bun\spaio\sdi\b|" + _N + r"\s(?:pairs|paires|Paar|pares|paia)\b",
    re.IGNORECASE,
)
_DOZEN_RE = re.compile(
    r"\b(half\sa\s|demi-|halbes\s|media\s|mezza\s)?"
    r"(?:dozen|douzaine|dutzend|docena|dozzina|tuzin|tucet)\b",
    re.IGNORECASE,
)
_PHARMA_AFTER = re.compile(r"\s?(?:" + _ALL_PHARMA + r")(?![^\W\d_])", re.IGNORECASE)
_PHARMA_RE = re.compile(
    _N + r"\s?(?:" + _ALL_PHARMA + r")(?![^\W\d_])" + _DOSING + _NOT_RATIO, re.IGNORECASE
)
_MEASURE_RE = re.compile(
    r"(?<!/)(?<!/\s)" + _DEC + r"\s?(" + _MEASURE_UNITS + r")(?![^\W\d_])" + _NOT_RATIO,
    re.IGNORECASE,
)


# What every match of _PAIR_RE / _DOZEN_RE holds, on the lower-cased text ("pair of", "une
# paire", "ein Paar", "un par de", "un paio", "3 pares", "3 paia"; the dozen words): few
# texts hold one, and a pattern starting with a literal is skipped through at a glance,
# where _PAIR_RE's number-word alternation is entered at every position under re.IGNORECASE.
_PAIR_WORDS = re.compile(r"pa(?:ir|ar|r\s|res|io|ia)")
_DOZEN_WORDS = re.compile(r"d(?:ozen|ouzaine|utzend|ocena|ozzina)|tu(?:zin|cet)")
_UNSAFE = re.compile(f"[{UNSAFE_CASE}]")


def _may_hold(text: str, words: re.Pattern[str]) -> bool:
    """False only when no match of a pattern that needs ``words`` can be in ``text``.

    Lower-casing agrees with re.IGNORECASE except on a few characters (UNSAFE_CASE, see
    price_like); a text holding one is always searched."""
    if not text.isascii() and _UNSAFE.search(text) is not None:
        return True
    return words.search(text.lower()) is not None


def _count(token: str) -> int | None:
    word = NUMBER_WORDS.get(token.lower())
    if word is not None:
        return word
    return int(token) if token.isdigit() and int(token) > 0 else None


def _unit(match: re.Match[str], units: dict[str, str]) -> str:
    return next(unit for unit in units if match.group(unit) is not None)


# "500 g x 5", "150g×2": a weight first, then the count. (Not a volume: "1ml x 10" are
# syringes of one millilitre.)
_WEIGHT_UNITS = "|".join(
    sorted((u for u, (base, _) in _MEASURES.items() if base in ("g", "kg")), key=len, reverse=True)
)
_PACK_AFTER_RE = re.compile(
    r"(?P<size>" + _DEC + r")\s?(?P<measure>" + _WEIGHT_UNITS + r")\s?[x×*]\s?"
    r"(?P<count>\d{1,3})(?![\d.,])",
    re.IGNORECASE,
)
# "pack de 6 botellas de 1,5 l", "6 bottles of 0.5 l".
_CONTAINERS_RE = re.compile(
    r"(?<![\w.,])(?P<count>\d{1,3})\s(?:botellas|bottles|flaschen|bouteilles|bottiglie|"
    r"flessen|butelek|latas|cans|dosen|canettes|lattine|blikjes|puszek|garrafas)\s(?:de|of|"
    r"à|da|van|x|×|a)\s(?P<size>" + _DEC + r")\s?(?P<measure>" + _MEASURE_UNITS + r")\b",
    re.IGNORECASE,
)


def _packs(text: str) -> list[tuple[int, Quantity]]:
    found = _packs_after(text)
    for match in _PACK_RE.finditer(text):
        size = to_number(match.group(2))
        if size is None or size <= 0:
            continue
        if match.group("measure"):
            unit, factor = _MEASURES[match.group("measure").lower()]
        else:
            unit, factor = _unit(match, _PHARMA), 1.0
        found.append((match.start(), Quantity(int(match.group(1)) * size * factor, unit)))
    return found


def _packs_after(text: str) -> list[tuple[int, Quantity]]:
    """Packs written measure first ("500 g x 5") or as containers ("6 botellas de 1,5 l")."""
    found = []
    for match in chain(_PACK_AFTER_RE.finditer(text), _CONTAINERS_RE.finditer(text)):
        size, count = to_number(match.group("size")), int(match.group("count"))
        if size and count:
            unit, factor = _MEASURES[match.group("measure").lower()]
            found.append((match.start(), Quantity(count * size * factor, unit)))
    return found


def _lots(text: str) -> list[tuple[int, Quantity]]:
    return [(m.start(), Quantity(float(n), "item"))
            for regex in (_LOT_RE, _GERMAN_PACK_RE) for m in regex.finditer(text)
            if (n := _count(m.group(1)))]  # fmt: skip


def _pieces(text: str, articles: bool) -> list[tuple[int, Quantity]]:
    found = []
    for match in _PIECES_RE.finditer(text):
        if (n := _count(match.group(1))) and (articles or not match.group("article")):
            unit = "specimen" if match.group("specimen") else "item"
            found.append((match.start(), Quantity(float(n), unit)))
    return found


def _times(text: str) -> list[tuple[int, Quantity]]:
    found = []
    for match in _TIMES_RE.finditer(text):
        if _SIZE_BEFORE_RE.search(text, max(0, match.start() - 2), match.start()) or (
            _SIZE_AFTER_RE.match(text, match.end())
        ):
            continue  # a size: "12 x 18", 'x 5 1/2"'
        if _PHARMA_AFTER.match(text, match.end()):
            continue  # "× 60 tablets": the tablets' count, read with its unit
        if n := _count(match.group(1) or match.group(2)):
            found.append((match.start(), Quantity(float(n), "item")))
    return found


def _pairs_and_dozens(text: str) -> list[tuple[int, Quantity]]:
    found = []
    if _may_hold(text, _PAIR_WORDS):
        for match in _PAIR_RE.finditer(text):
            if pairs := (_count(match.group(1)) if match.group(1) else 1):
                # "Pair of antique mounted butterflies": two specimens.
                animals = _NOUN_AFTER.match(text, match.end()) is not None
                found.append(
                    (match.start(), Quantity(2.0 * pairs, "specimen" if animals else "item"))
                )
    if _may_hold(text, _DOZEN_WORDS):
        for match in _DOZEN_RE.finditer(text):
            found.append((match.start(), Quantity(6.0 if match.group(1) else 12.0, "item")))
    return found


def _explicit(text: str, articles: bool = True) -> list[tuple[int, Quantity]]:
    """Counts of items: lots, sets, packs, pieces, "10x", pairs, dozens."""
    return _lots(text) + _pieces(text, articles) + _times(text) + _pairs_and_dozens(text)


def _pharma(text: str) -> list[tuple[int, Quantity]]:
    return [(m.start(), Quantity(float(n), _unit(m, _PHARMA))) for m in _PHARMA_RE.finditer(text)
            if (n := _count(m.group(1)))]  # fmt: skip


def _measures(text: str) -> list[tuple[int, Quantity]]:
    found = []
    for match in _MEASURE_RE.finditer(text):
        value = to_number(match.group(1))
        if value is None or value <= 0 or match.group(2) == "G":  # "4G" is a network
            continue
        unit, factor = _MEASURES[match.group(2).lower()]
        found.append((match.start(), Quantity(value * factor, unit)))
    return found


def parse_quantity(text: str) -> Quantity | None:
    """The quantity an offer is for, or None when the text states none."""
    if not text:
        return None
    window = text[:QUANTITY_SCAN]
    for finder in (_packs, _explicit, _pharma, _measures):
        found = finder(window)
        if found:
            return min(found, key=lambda item: item[0])[1]
    return None


def stated_count(text: str) -> Quantity | None:
    """A count in the words a description uses ("pair of", "lot of 3", "3 pcs", "a dozen",
    "30 tablets"):
    not "4x" (instalments, views, zoom) nor a measure (a product's weight), which a web
    page's text holds more often than the offer's quantity."""
    if not text:
        return None
    window = text[:QUANTITY_SCAN]
    found = _lots(window) + _pieces(window, True) + _pairs_and_dozens(window) + _pharma(window)
    found = [(start, q) for start, q in found if not _STOCK_BEFORE.search(window, 0, start)]
    found += _labelled_amounts(window)
    return min(found, key=lambda item: item[0])[1] if found else None


# A count after these is stock or sales, not the offer's: "Stock 84 units", "Skladem 5 ks".
_STOCK_BEFORE = re.compile(
    r"(?:stock|in\s+stock|available|sold|skladem|auf\s+lager|lagerbestand|en\s+stock|"
    r"disponibles?|vendus?|verkauft|magazzino|op\s+voorraad|dostępn\w*|w\s+magazynie|"
    r"i\s+lager|varastossa|készleten|în\s+stoc|наличи\w*)\W{0,3}$",
    re.IGNORECASE,
)
# A measure the page labels as the offer's amount: "Unit: 1 gram", "Menge: 500 g".
_AMOUNT_LABEL = re.compile(
    r"\b(?:unit|quantity|amount|qty|size|menge|inhalt|quantité|contenance|cantidad|"
    r"contenido|quantità|contenuto|hoeveelheid|inhoud|ilość|množství|obsah|mängd|määrä|"
    r"mennyiség|cantitate|ποσότητα|количество|вес|фасовка)\s*[:|]?\s*(?=\d)",
    re.IGNORECASE,
)


def _labelled_amounts(text: str) -> list[tuple[int, Quantity]]:
    found = []
    for label in _AMOUNT_LABEL.finditer(text):
        amount = _MEASURE_RE.match(text, label.end())
        if amount is not None:
            found += _measures(amount.group(0))[:1]
    return found


_SPECIMEN_NOUNS = (
    r"bats?|butterfl(?:y|ies)|moths?|beetles?|insects?|spiders?|tarantulas?|scorpions?|"
    r"skulls?|skeletons?|birds?|shells?|snakes?|lizards?|frogs?|turtles?|tortoises?|"
    r"horns?|tusks?|claws?|feathers?|eggs?|pelts?|skins?|hides?|heads?|"
    r"trophies|corals?|seahorses?|animals?|orchids?|cacti|parrots?|"
    r"chauves?-souris|papillons?|coléoptères|oiseaux|crânes?|cornes?|défenses?|"
    r"fledermäuse|fledermaus|schmetterlinge?|käfer|vögel|schädel|hörner|"
    r"murciélagos?|mariposas?|escarabajos?|pájaros|cráneos?|"
    r"pipistrell[oi]|farfalle|farfalla|coleotteri|uccelli|teschi|"
    r"vleermuis|vleermuizen|vlinders?|kevers?|vogels|schedels?|"
    r"nietoperze?|motyle?|chrząszcze|ptaki|czaszki|netopýři|netopýr|motýli|motýl|brouci"
)
_STOP = r"(?:of|for|and|with|per|in|x|de|des|du|et|pour|und|für|mit|y|con|e|en|voor|i|a)\b"
_SPECIMEN_RE = re.compile(
    _N + r"\s(?:(?!" + _STOP + r")[^\W\d_][\w'’-]{0,24}\s){0,3}(?:" + _SPECIMEN_NOUNS + r")\b"
    r"(?!\s(?:available|in\sstock|left|en\sstock|disponibles?|verfügbar|auf\slager))",
    re.IGNORECASE,
)


# A specimen noun within the next few words ("pair of antique Victorian mounted Morpho
# butterflies").
_NOUN_AFTER = re.compile(
    r"(?:\s+[^\W\d_][\w'’-]*){0,5}?\s+(?:" + _SPECIMEN_NOUNS + r")\b", re.IGNORECASE
)


def _specimens_in(text: str, counts_checked: bool = False) -> int | None:
    """The first count of specimens: an explicit count, or a number before a specimen noun.

    ``counts_checked``: parse_quantity found nothing in ``text``, so no explicit count is
    there either (its counts with articles=False are a subset of those it looked for)."""
    found = [] if counts_checked else [(s, q.value) for s, q in _explicit(text, articles=False)]
    found += [(m.start(), float(n)) for m in _SPECIMEN_RE.finditer(text)
              if (n := _count(m.group(1))) and n < MAX_SPECIMENS]  # fmt: skip
    if not found:
        return None
    value = min(found)[1]
    return int(value) if value >= 1 and float(value).is_integer() else None


def count_specimens(title: str, text: str | None, *, counts_checked: bool = False) -> int | None:
    """Number of specimens a wildlife listing sells; None when it states no count.

    The title is read first, then the start of the text: "pair of mounted bats" is 2,
    "3 framed butterflies" 3, "lot of 5" 5; a listing naming no count gives None, not 1.
    ``counts_checked``: parse_quantity gave None for both ``title`` and ``text``, whose
    explicit counts need not be looked for again.
    """
    for source in (title, (text or "")[:SPECIMEN_TEXT_SCAN]):
        if source:
            count = _specimens_in(source[:QUANTITY_SCAN], counts_checked)
            if count is not None:
                return count
    return None
