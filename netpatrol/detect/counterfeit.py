"""Fake branded goods: counterfeit cues ("replica", "réplique", "1:1", "AAA"), and a
brand sold far below its usual price. A brand alone, at a normal price, is a shop."""

from __future__ import annotations

import re

from netpatrol.detect.base import Subject
from netpatrol.detect.discount import deepest_discount
from netpatrol.detect.lexical import LexiconDetector, title_names_weight
from netpatrol.detect.matcher import Hit

# A branded item at under this share of its price floor is not the real thing.
CHEAP_SHARE = 0.3
# ...nor one the listing offers at this much off its usual price: fake shops claim 70-90 %
# off, a brand's outlet or a sale rarely more than half (docs/model-card.md, tenth round).
FAKE_DISCOUNT = 0.7
BRAND_ALONE = 0.3  # what a brand name alone keeps of its weight
# The price test is for a branded item itself: its brand in the title, one or two brands
# named (a page naming many is a catalogue), and no sign of an accessory or a work about
# the brand ("case for iPhone", "compatible with", "Lightning cable", a book).
MAX_BRANDS = 2
_NOT_THE_ITEM = re.compile(
    r"\b(?:for|für|pour|per|para|voor|compatible|kompatibel|compatibile|case|cover|coque|"
    r"housse|hülle|funda|cable|câble|kabel|cavo|charger|chargeur|ladegerät|adapter|"
    r"adaptateur|strap|protector|protection|schutz|book|livre|buch|libro|history|poster|"
    r"sticker|box only|empty box|manual)\b",
    re.IGNORECASE,
)


# Quality grades ("AAA+", "grade A", "clone") grade weed as often as watches (Agora train +
# dev: 56 drug titles with "AAA" against 53 counterfeit ones, the latter all branded): a
# grade short of this weight ("AAA quality bud" too) counts only beside a brand. "Mirror
# quality", "1:1 replica", "super fake" name a copy whatever is beside them.
GRADE_ALONE = 0.9
# A brand in a listing counted in pills or tabs names a pill press ("100 Audemars Piguet
# (very heavy pills)", "Rolex XTC"), and a brand in a title sold by weight a cannabis
# strain ("Lemon Diesel Buds AAA+++ 2 Grams", "Gucci OG 7g"): not branded goods, which
# are sold by the piece.
PILL_UNIT = "count_unit"


class CounterfeitDetector(LexiconDetector):
    category = "counterfeit"

    def positives(self, subject: Subject, hits: list[Hit]) -> list[Hit]:
        found = super().positives(subject, hits)
        pills = any(
            h.entry.kind == "drug_unit" and h.entry.label == PILL_UNIT for h in subject.hits
        )
        if pills or title_names_weight(subject.title):
            found = [h for h in found if h.entry.kind != "brand"]
        if any(h.entry.kind == "brand" for h in found):
            return found
        return [h for h in found if h.entry.label != "grade" or h.entry.weight >= GRADE_ALONE]

    def refine(
        self, subject: Subject, positives: list[Hit], score: float, standing: list[Hit]
    ) -> float:
        brands = [h for h in positives if h.entry.kind == "brand"]
        cues = [h for h in positives if h.entry.kind != "brand"]
        if not brands or cues:
            return score
        # The price tests read only brands no look-alike negates: a repairer's price is far
        # below a Rolex's ("Rolex servicing from £495"), and no fake shop's.
        standing_brands = [h for h in standing if h.entry.kind == "brand"]
        if _far_below_floor(subject, standing_brands):
            return max(score, 0.8)
        if _at_normal_price(subject, brands):
            return 0.0
        if _fake_discount(subject, standing_brands):
            return max(score, 0.8)
        return score * BRAND_ALONE

    def labels(
        self, subject: Subject, positives: list[Hit], standing: list[Hit]
    ) -> tuple[str, ...]:
        found = [f"{h.entry.kind}:{h.entry.label}" for h in positives]
        brands = [h for h in standing if h.entry.kind == "brand"]
        if _far_below_floor(subject, brands):
            found.append("price:far below the brand's usual price")
        elif not _at_normal_price(subject, brands) and _fake_discount(subject, brands):
            found.append("price:a discount of 70 % or more on a brand")
        return tuple(dict.fromkeys(found))


def _floors(brands: list[Hit]) -> list[float]:
    floors = []
    for hit in brands:
        value = hit.entry.term.extra_value("price_floor_eur") if hit.entry.term else None
        if value:
            try:
                floors.append(float(value))
            except ValueError:
                continue
    return floors


def _the_item(subject: Subject, brands: list[Hit]) -> list[Hit]:
    """The brands named in the title of a listing that sells the branded item itself."""
    in_title = [h for h in brands if h.start < len(subject.title)]
    if not in_title or len({h.entry.label for h in brands}) > MAX_BRANDS:
        return []
    return [] if _NOT_THE_ITEM.search(subject.title) else in_title


def _far_below_floor(subject: Subject, brands: list[Hit]) -> bool:
    floors = _floors(_the_item(subject, brands))
    price = subject.price_per_item  # a floor prices one piece, not a wholesale lot
    return bool(floors) and price is not None and 0 < price < CHEAP_SHARE * max(floors)


def _fake_discount(subject: Subject, brands: list[Hit]) -> bool:
    return bool(_the_item(subject, brands)) and (
        deepest_discount(subject.full_text) >= FAKE_DISCOUNT
    )


def _at_normal_price(subject: Subject, brands: list[Hit]) -> bool:
    floors = _floors(brands)
    price = subject.price_per_item
    return bool(floors) and price is not None and price >= min(floors)
