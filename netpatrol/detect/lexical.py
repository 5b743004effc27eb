"""The shared rule of the lexicon detectors: cues of the category, weakened by look-alikes
and by news or "wanted" talk, strengthened by selling intent."""

from __future__ import annotations

import re

from netpatrol.detect.base import (
    Detector,
    Evidence,
    Finding,
    Subject,
    combine,
    evidence_of,
    strongest_per_label,
)
from netpatrol.detect.matcher import Hit

NEGATIVE_KINDS = frozenset({"lookalike", "non_sale", "work_about"})
SALE = frozenset({"sale_intent"})
NOT_SALE = frozenset({"non_sale"})
# A title naming a work about the topic ("Marijuana Grow Bible PDF", "Guide to High
# Explosives", "Do-it-Yourself Submachine Gun e-book") sells the work, not the drug or the
# weapon: every cue of such a title is negated, whatever its distance. Only the title:
# descriptions of real offers say "see our shipping guide".
WORK_ABOUT = frozenset({"work_about"})
# A title shaped like a book's, "Main title: subtitle" in words alone, the subtitle
# with a function word ("Cocaine: the Straight Facts", "Storming Heaven: LSD and the
# American Dream", "Ketamine: Dreams and Realities"), is a work about the topic too.
# Offers carry a quantity, a grade or a price (no digits here); Agora train + dev: 50
# such titles, all benign. Titles only; a brand's shop title "Rolex: Submariner Date"
# has no function word; listings shout ("CHIROPTERA: KERIVOULA PICTA ALSO KNOWN AS A FIRE
# BAT") or list with dashes ("Hazeman Seeds: Blue Bubba - Seeds in the bud"), books do
# neither.
BOOK_TITLE = re.compile(
    r"^[^\W\d_][^\d:]{1,39}[^\s\d:]:\s+(?=[^\d]*\b(?:the|of|and|for|to|in|a|an|how|your|into|with)\b)"
    r"[^\W\d_][^\d:]{8,}$",
    re.IGNORECASE,
)
# The appositive shape, "Main title, the subtitle" ("DMT, the spirit molecule", "Ecstasy,
# the complete guide"): a name, a comma, "the" and words alone. Agora train + dev: 2 such
# titles, both books; offers name a quantity or a grade.
BOOK_APPOSITION = re.compile(
    r"^[^\W\d_][^\d,:]{1,39}\s?,\s+the\s+[^\W\d_][^\d:]{8,}$", re.IGNORECASE
)
# How much a look-alike ("faux ivoire", "airsoft") or talk about the trade rather than an
# offer ("seized", "wanted") keeps of a score.
LOOKALIKE_FACTOR = 0.25
NOT_SALE_FACTOR = 0.4
# A single-word look-alike ("resin", "imitation", "faux") negates the cues this close to it
# (characters between them), not a whole listing: "real bat skull in a resin coffin" is
# still a bat skull.
LOOKALIKE_REACH = 25
# …but a toy, a tool or merchandise named in the title ("water pistols", "Schleich wild
# animals", "Xanax band tshirt") is what the listing sells: its description's cues are
# about the thing ("tipo revolver", "elephant, rhino, gorilla") and negated too. Not the
# other look-alikes: "Real bat skull in resin dome" is still a bat skull.
TITLE_WIDE = frozenset(
    {"toy", "toy or tool", "merchandise", "repair service", "compatible accessory"}
)
# A sale by a licensed dealer to licence holders ("SGC holders only", "nur gegen WBK"), or
# a pharmacy's that asks for the prescription ("verschreibungspflichtig, Rezept einsenden":
# _asks_for_prescription), is lawful wherever the listing says so: every cue of its
# category is negated.
PRESCRIPTION_ASKED = "prescription required"
LISTING_WIDE = frozenset({"licensed sale", PRESCRIPTION_ASKED})
# Supporting cues ("100 tabs", "sans ordonnance") count for this share of their weight.
SUPPORT_SHARE = 0.5


# The lexicon lists the usual sizes ("28g", "1 oz"); a title names any weight ("30g",
# "112g", "2.5 grams"): a rifle model or a brand in it is a cannabis strain ("BUDLIFE 30g
# AK-47", "Lemon Diesel Buds 2 Grams"). Not grains ("124 gr" weighs a bullet), and titles
# only: a firearm's or a watch's description gives its own weight ("625 g unloaded").
TITLE_WEIGHT = re.compile(
    r"\b\d+(?:[.,]\d+)?\s?(?:g|kg|mg|oz|grams?|grammes?|gramm|gramos|grammi|ounces?)\b",
    re.IGNORECASE,
)


def title_names_weight(title: str) -> bool:
    return TITLE_WEIGHT.search(title) is not None


# An edition counted in any of the seven languages ("Lyman 50th edition", "3. Auflage",
# "2e édition", "2ª edición"): the lexicon lists the first ten English ordinals only.
EDITION = re.compile(
    r"\b\d{1,3}(?:st|nd|rd|th)\s+ed(?:ition|\.|\b)|\b\d{1,3}(?:e|ème|\.|ª|a|º)\s*"
    r"(?:[ée]dition|auflage|edici[oó]n|edizione|editie|druk|edi[cç][aã]o)\b",
    re.IGNORECASE,
)


def book_title(title: str) -> bool:
    if EDITION.search(title) is not None:
        return True
    if " - " in title or title.isupper():
        return False
    return BOOK_TITLE.search(title) is not None or BOOK_APPOSITION.search(title) is not None


def _wanted_headline(not_sale: list[Hit], title_end: int) -> bool:
    return any(h.entry.label == "wanted" and h.start < title_end for h in not_sale)


def _listing_wide(lookalike: Hit, title_end: int, positives: list[Hit]) -> bool:
    label = lookalike.entry.label
    if label in LISTING_WIDE:
        return True
    if lookalike.start >= title_end:
        return False
    if label in ATTACHED_ONLY:
        # Named before any cue, the accessory is what the title sells ("IWB holster for
        # Glock 19"); named after one, it comes with it ("Makarov PM + holster").
        return not any(p.start < lookalike.start for p in positives)
    return label in TITLE_WIDE


_QUESTION = re.compile(r"\s*\?")


def _asks_for_prescription(lookalike: Hit, subject: Subject) -> bool:
    """A pharmacy's "prescription required", not a rogue one's "Prescription required? No!"
    nor a listing whose title sells without one ("Tadalafil ohne Rezept"). In the text a
    lawful pharmacy says what happens without one ("ohne Rezept erfolgt keine Lieferung")."""
    if _QUESTION.match(subject.full_text, lookalike.end):
        return False
    title_end = len(subject.title)
    return not any(h.entry.label == "no_prescription" and h.start < title_end for h in subject.hits)


def _near(a: Hit, b: Hit, text: str) -> bool:
    """Whether look-alike ``b`` negates cue ``a``."""
    if b.entry.label in ATTACHED_ONLY:
        return _attached(a, b, text)
    return a.start - LOOKALIKE_REACH <= b.end and b.start - LOOKALIKE_REACH <= a.end


# A gun's accessory (holster, pistol grip, case) is sold with the gun as often as alone:
# it negates the cue it belongs to ("Glock 19 holster", "holster for Glock 19"), not the
# gun it comes with ("Makarov PM + holster", "Mossberg 500 w/ pistol grip").
ATTACHED_ONLY = frozenset({"gun accessory"})
_FOR = re.compile(r"[\s\-]*(?:(?:for|fits|pour|für|fuer|para|per|voor)\s+)?", re.IGNORECASE)


def _attached(cue: Hit, accessory: Hit, text: str) -> bool:
    if cue.end <= accessory.start:
        return not text[cue.end : accessory.start].strip(" -")
    gap = text[accessory.end : cue.start]
    return accessory.end <= cue.start and _FOR.fullmatch(gap) is not None


class LexiconDetector(Detector):
    """Subclasses name their category and supporting kinds, and may refine the score."""

    supporting: frozenset[str] = frozenset()
    # Supporting cues that say nothing without a cue of the category: not even to the
    # model, which otherwise learns them as cues ("Self-defense class for women" read as
    # weapons when every training row with "self-defense" was one).
    support_needs_cue: bool = False

    def detect(self, subject: Subject) -> Finding:
        hits = [h for h in subject.hits if h.entry.category == self.category]
        positives = self.positives(subject, hits)
        support = [h for h in hits if h.entry.kind in self.supporting]
        if self.support_needs_cue and not positives:
            support = []
        lookalikes = [
            h
            for h in hits
            if h.entry.kind == "lookalike"
            and (h.entry.label != PRESCRIPTION_ASKED or _asks_for_prescription(h, subject))
        ]
        works = [h for h in subject.context(WORK_ABOUT) if h.start < len(subject.title)]
        sale = subject.context(SALE)
        not_sale = subject.context(NOT_SALE)
        full = subject.full_text if lookalikes else ""
        clean = [p for p in positives if not any(_near(p, x, full) for x in lookalikes)]
        if any(_listing_wide(h, len(subject.title), positives) for h in lookalikes):
            # The title says what is sold ("Pistola de juguete ... tipo revolver"), or the
            # listing says the sale is licensed.
            clean = []
        book = bool(works) or book_title(subject.title)
        if book:
            clean = [p for p in clean if p.start >= len(subject.title)]
            lookalikes = [*lookalikes, *works]
        negated = [p for p in positives if p not in clean]
        # A book-shaped title is the rule's answer as a look-alike is: without the flag the
        # model alone made "Cocaine: the Straight Facts" drugs again.
        book_lookalike = book and bool(positives)
        headline = any(h.start < len(subject.title) for h in not_sale)
        wanted = _wanted_headline(not_sale, len(subject.title))
        base = combine(strongest_per_label(clean))
        score = combine([base, *(SUPPORT_SHARE * w for w in strongest_per_label(support))])
        if not clean:
            # Supporting cues alone ("100 tabs") name no category; negated cues count little.
            score = LOOKALIKE_FACTOR * combine(strongest_per_label(negated))
        # A buyer's title ("WTB: Glock 19") stays a buyer's post whatever payment it offers.
        if (not_sale and not sale) or wanted:
            score *= NOT_SALE_FACTOR
        score = self.refine(subject, positives, score, clean)
        return Finding(
            self.category,
            round(score, 4),
            self.labels(subject, positives, clean),
            self.evidence(positives, support, lookalikes, sale, not_sale),
            {
                "score": score,
                "base": base,
                "cues": float(len(strongest_per_label(positives))),
                "support": float(len(support)),
                "lookalike": float((bool(lookalikes) or book_lookalike) and not clean),
                # A cue under a news or "wanted" headline: the model may not make it an
                # offer alone. The title only: specimen sellers' descriptions cite museums
                # and conservation (grouped CV: bat recall 0.99 -> 0.84 counting them).
                "not_sale": float(bool(positives) and headline and (not sale or wanted)),
            },
        )

    def positives(self, subject: Subject, hits: list[Hit]) -> list[Hit]:
        del subject
        return [h for h in hits if h.entry.kind not in NEGATIVE_KINDS | self.supporting | SALE]

    def refine(
        self, subject: Subject, positives: list[Hit], score: float, standing: list[Hit]
    ) -> float:
        """``standing``: the positives no look-alike negates."""
        del subject, positives, standing
        return score

    def labels(
        self, subject: Subject, positives: list[Hit], standing: list[Hit]
    ) -> tuple[str, ...]:
        """``standing``: the positives no look-alike negates."""
        del subject, standing
        return tuple(dict.fromkeys(f"{h.entry.kind}:{h.entry.label}" for h in positives))

    def evidence(
        self,
        positives: list[Hit],
        support: list[Hit],
        lookalikes: list[Hit],
        sale: list[Hit],
        not_sale: list[Hit],
    ) -> tuple[Evidence, ...]:
        if not positives:
            return evidence_of(lookalikes)
        return evidence_of([*positives, *support, *lookalikes, *sale, *not_sale])
