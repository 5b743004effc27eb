"""Lexicon matcher and detector rules, on small lexicons the tests build."""

from __future__ import annotations

from netpatrol.detect.base import Finding, Subject, combine
from netpatrol.detect.classify import decide, model_may_speak
from netpatrol.detect.counterfeit import CounterfeitDetector
from netpatrol.detect.drugs import DrugsDetector
from netpatrol.detect.lexical import book_title
from netpatrol.detect.matcher import Entry, LexiconMatcher, lexicon_entries
from netpatrol.detect.medicine import MedicineDetector
from netpatrol.detect.weapons import WeaponsDetector
from netpatrol.detect.wildlife import VOUCHED_NAME, WildlifeDetector
from netpatrol.knowledge.lexicons import Term


def _term(
    term: str, category: str, label: str, kind: str, weight: float = 0.9, **extra: str
) -> Term:
    return Term(term, category, label, kind, "*", weight, tuple(extra.items()))


TERMS = [
    _term("cocaïne", "drugs", "cocaine", "substance", 1.0, schedule="II"),
    _term("coke", "drugs", "cocaine", "slang", 0.4),
    _term("ivoire", "wildlife", "ivory", "product", 0.8),
    _term("faux ivoire", "wildlife", "ivory", "lookalike", 0.9),
    _term("replica", "counterfeit", "replica", "counterfeit_cue", 0.9),
    _term("rolex", "counterfeit", "Rolex", "brand", 0.5, price_floor_eur="2500"),
    _term("glock 17", "weapons", "Glock 17", "firearm", 0.95),
    _term("airsoft", "weapons", "airsoft", "lookalike", 0.9),
    _term("for sale", "context", "sale", "sale_intent", 0.5),
    _term("seized", "context", "news", "non_sale", 0.5),
]
MATCHER = LexiconMatcher(lexicon_entries(TERMS))


def subject(title: str, text: str = "", price_eur: float | None = None) -> Subject:
    full = f"{title}\n{text}" if text else title
    return Subject(title, text, tuple(MATCHER.find(full)), price_eur)


def test_matches_fold_case_and_accents_and_keep_original_offsets() -> None:
    text = "Vends COCAINE pure, et Cocaïne"
    hits = MATCHER.find(text)
    assert [(h.text, h.start, h.end) for h in hits] == [("COCAINE", 6, 13), ("Cocaïne", 23, 30)]
    assert all(text[h.start : h.end] == h.text for h in hits)


def test_matches_need_word_boundaries() -> None:
    assert MATCHER.find("cokeberry cocaineX xcoke") == []
    assert [h.text for h in MATCHER.find("coke.")] == ["coke"]


def test_a_longer_match_hides_the_terms_inside_it() -> None:
    hits = MATCHER.find("Bracelet faux ivoire")
    assert [(h.entry.kind, h.text) for h in hits] == [("lookalike", "faux ivoire")]


def test_combine_is_a_noisy_or() -> None:
    assert combine([0.5, 0.5]) == 0.75
    assert combine([]) == 0.0
    assert combine([1.5]) == 1.0


def test_drugs_labels_carry_the_schedule_and_evidence_the_text() -> None:
    found = DrugsDetector().detect(subject("Cocaïne 1g for sale"))
    assert found.score > 0.9
    assert "substance:cocaine" in found.labels
    assert "schedule:cocaine:DEA II" in found.labels
    assert {(e.kind, e.text) for e in found.evidence} >= {
        ("substance", "Cocaïne"),
        ("sale_intent", "for sale"),
    }


def test_news_talk_weakens_and_sale_intent_keeps() -> None:
    news = DrugsDetector().detect(subject("Police seized coke in Antwerp"))
    offer = DrugsDetector().detect(subject("coke for sale, seized from nobody"))
    assert news.score < offer.score


def test_lookalike_weapons_score_low() -> None:
    assert WeaponsDetector().detect(subject("Glock 17 airsoft replica, gas")).score < 0.3
    assert WeaponsDetector().detect(subject("Glock 17 9mm")).score > 0.9


def test_counterfeit_brand_alone_at_a_normal_price_is_a_shop() -> None:
    detector = CounterfeitDetector()
    assert detector.detect(subject("Rolex Datejust 36", price_eur=7800.0)).score == 0.0
    cheap = detector.detect(subject("Rolex Datejust 36", price_eur=120.0))
    assert cheap.score >= 0.8
    assert "price:far below the brand's usual price" in cheap.labels
    assert detector.detect(subject("Rolex replica AAA")).score > 0.9
    assert 0 < detector.detect(subject("Rolex")).score < 0.3


def test_supporting_cues_alone_name_no_category() -> None:
    matcher = LexiconMatcher([("100 tabs", Entry("drugs", "unit", "drug_unit", 0.5))])
    found = DrugsDetector().detect(Subject("100 tabs", "", tuple(matcher.find("100 tabs"))))
    assert found.score == 0.0


def test_a_book_shaped_title_is_a_lookalike_the_model_may_not_overrule() -> None:
    for title in ("Cocaine: the Straight Facts", "Cocaine, the spirit of the Andes"):
        found = DrugsDetector().detect(subject(title))
        assert found.score < 0.5, title
        assert found.features["lookalike"] == 1.0, title
    offer = DrugsDetector().detect(subject("Cocaine, the best: 5 g"))
    assert offer.score > 0.9
    assert offer.features["lookalike"] == 0.0


def _weapon_subject(title: str) -> Subject:
    matcher = LexiconMatcher(
        lexicon_entries(
            [
                _term("ak-47", "weapons", "rifle", "model", 0.9),
                _term("self-defense", "weapons", "self-defence", "weapon_context", 0.4),
            ]
        )
    )
    return Subject(title, "", tuple(matcher.find(title)))


def test_a_rifle_model_in_a_title_sold_by_any_weight_is_a_strain() -> None:
    detector = WeaponsDetector()
    assert detector.detect(_weapon_subject("BUDLIFE 30g A++ AK-47")).score == 0.0
    assert detector.detect(_weapon_subject("AK-47 Indoor 2.5 grams")).score == 0.0
    # Grains weigh bullets, not buds.
    assert detector.detect(_weapon_subject("AK-47 ammo 124 gr")).score > 0.8


def test_self_defence_talk_supports_a_weapon_but_names_none() -> None:
    detector = WeaponsDetector()
    lesson = detector.detect(_weapon_subject("Self-defense class for women"))
    assert lesson.score == 0.0
    # Not even a feature for the model: alone, the word is no weapon.
    assert lesson.features["support"] == 0.0
    alone = detector.detect(_weapon_subject("AK-47")).score
    assert detector.detect(_weapon_subject("AK-47 for self-defense")).score > alone


def test_a_brand_in_a_title_sold_by_weight_is_a_strain() -> None:
    detector = CounterfeitDetector()
    assert detector.detect(subject("Rolex OG buds 7g")).score == 0.0
    # A counterfeit cue still names a copy.
    assert detector.detect(subject("Rolex replica 150g")).score > 0.8


def test_an_ambiguous_species_name_linked_to_a_product_counts_as_a_name() -> None:
    tiger = Entry("wildlife", "Panthera tigris", "taxon", 0.2, ambiguous=True)
    skull = Entry("wildlife", "skull", "product", 0.3)
    matcher = LexiconMatcher(
        [("tigre", tiger), ("tiger", tiger), ("cráneo", skull), ("skull", skull)]
    )

    def score(title: str) -> float:
        return WildlifeDetector().detect(Subject(title, "", tuple(matcher.find(title)))).score

    linked = ["Cráneo de tigre", "skull of a tiger", "tiger-skull", "tiger skull"]
    assert all(score(t) == combine([0.3, VOUCHED_NAME]) for t in linked)
    # Not beside it, or not linked: the product alone.
    assert score("Cráneo, y un tigre de peluche") == 0.3
    assert score("skull ring with a tiger") == 0.3


ACCESSORY_TERMS = [
    _term("glock 19", "weapons", "Glock 19", "model", 0.9),
    _term("makarov", "weapons", "Makarov", "model", 0.9),
    _term("holster", "weapons", "gun accessory", "lookalike", 0.3),
    _term("sgc holders only", "weapons", "licensed sale", "lookalike", 1.0),
]
ACCESSORY_MATCHER = LexiconMatcher(lexicon_entries(ACCESSORY_TERMS))


def _accessory_subject(title: str, text: str = "") -> Subject:
    full = f"{title}\n{text}" if text else title
    return Subject(title, text, tuple(ACCESSORY_MATCHER.find(full)))


def test_a_gun_accessory_negates_the_gun_it_belongs_to_not_the_gun_it_comes_with() -> None:
    detector = WeaponsDetector()
    for sold_alone in ("IWB holster for Glock 19", "Glock 19 holster, leather"):
        assert detector.detect(_accessory_subject(sold_alone)).score < 0.3, sold_alone
    for with_gun in ("Makarov PM + holster", "Makarov 9x18 w/ holster and 2 mags"):
        assert detector.detect(_accessory_subject(with_gun)).score > 0.8, with_gun
    # Named before the gun in the title, the accessory is what the listing sells.
    assert detector.detect(_accessory_subject("Holster", "Fits a Makarov.")).score < 0.3


def test_a_licensed_dealers_sale_is_lawful_wherever_it_says_so() -> None:
    detector = WeaponsDetector()
    lawful = "Boxed with two magazines and the test target. SGC holders only."
    assert detector.detect(_accessory_subject("Glock 19", lawful)).score < 0.3
    assert detector.detect(_accessory_subject("Glock 19", "Boxed.")).score > 0.8


SPELLED_TERMS = [
    _term("Hi-Point", "weapons", "pistol", "model", 0.8),
    _term("CZ 52", "weapons", "pistol", "model", 1.0),
    _term("12 gauge", "weapons", "ammunition", "ammunition", 0.7),
    _term("C-4", "weapons", "explosive", "explosive", 0.8),
    _term("rd mag", "weapons", "ammunition", "ammunition", 0.9),
    _term("tabs", "context", "count_unit", "drug_unit", 0.4),
    _term("cz52", "weapons", "pistol", "model", 0.5),
]
SPELLED = LexiconMatcher(lexicon_entries(SPELLED_TERMS))


def test_makes_models_and_calibres_match_joined_spaced_or_hyphenated() -> None:
    for text in ("Hi Point C9", "HiPoint C9", "Hi-Point C9"):
        assert [h.entry.label for h in SPELLED.find(text)] == ["pistol"], text
    for text in ("CZ-52 7.62x25", "cz 52 surplus"):
        assert [h.entry.weight for h in SPELLED.find(text)] == [1.0], text
    for text in ("12gauge slugs", "12-gauge slugs"):
        assert [h.entry.label for h in SPELLED.find(text)] == ["ammunition"], text


def test_a_term_written_another_way_keeps_its_own_entry() -> None:
    # "cz52" is a term of its own: the spelling of "CZ 52" does not replace it.
    assert [h.entry.weight for h in SPELLED.find("CZ52 pistol")] == [0.5]


def test_a_one_letter_part_is_no_spaced_spelling() -> None:
    # Shoe sizes and grades write "C 4"; the explosive is "C-4" or "C4".
    assert SPELLED.find("Botines talla C 4") == []


def test_a_word_glued_to_a_count_matches() -> None:
    assert [h.text for h in SPELLED.find("AK 30rd mag, 100tabs")] == ["rd mag", "tabs"]
    assert SPELLED.find("x30rd mag") == []  # glued to a word, not to a count


def test_an_order_placeholder_gives_the_model_no_say() -> None:
    sure_model = {"benign": 0.05, "weapons": 0.9, "drugs": 0.05}
    quiet_rules = [Finding("weapons", 0.0, (), (), {}), Finding("drugs", 0.0, (), (), {})]
    for title in ("Custom for NOD", "custom listing: remuali1", "Private Listing For Drago13"):
        assert not model_may_speak(subject(title)), title
        assert decide(sure_model, quiet_rules, model_may_speak(subject(title))) == "benign"
    # An item named after the placeholder's words is an offer; so is a custom-made thing.
    for title in ("Private Reserve OG Kush 7g", "Custom made AK-47 stock", "Glock 17"):
        assert model_may_speak(subject(title)), title
    # A lexicon cue still makes the category: only the model is silenced.
    found = DrugsDetector().detect(subject("CUSTOM LISTING FOR COCAÏNE"))
    assert decide(sure_model | {"drugs": 0.9}, [found], False) == "drugs"


def test_a_program_or_recording_title_gives_the_model_no_say() -> None:
    sure_model = {"benign": 0.05, "drugs": 0.95}
    quiet_rules = [Finding("drugs", 0.0, (), (), {})]
    for title in ("FIFA 14 (PC)", "Secrets of the Trade [PDF]", "Album (MP3)"):
        assert not model_may_speak(subject(title)), title
        assert decide(sure_model, quiet_rules, model_may_speak(subject(title))) == "benign"
    # A count in brackets is no platform.
    assert model_may_speak(subject("Hash Gummies! (X64)"))


def test_a_buyers_title_stays_a_buyers_post_whatever_payment_it_offers() -> None:
    terms = [
        _term("glock 19", "weapons", "pistol", "model", 0.9),
        _term("wtb", "context", "wanted", "non_sale", 0.6),
        _term("cash", "context", "payment", "sale_intent", 0.3),
    ]
    matcher = LexiconMatcher(lexicon_entries(terms))

    def rule(title: str) -> Finding:
        return WeaponsDetector().detect(Subject(title, "", tuple(matcher.find(title))))

    wanted = rule("WTB: Glock 19 in Texas, cash")
    assert wanted.score < 0.5
    assert wanted.features["not_sale"] == 1.0  # nor may the model make it an offer alone
    assert rule("Glock 19 for cash").score >= 0.5


def test_any_ordinal_edition_is_a_work_about_the_topic() -> None:
    for title in ("Reloading ammunition - Lyman 50th edition", "Drogen, 3. Auflage",
                  "Le cannabis, 2e édition", "Manual de armas 2ª edición"):  # fmt: skip
        assert book_title(title), title
    assert not book_title("Glock 19 Gen 4 - 15 rounds")


def test_a_shipping_option_gives_the_model_no_say() -> None:
    for title in ("*** Shipping upgrade - express / next day ***", "Tracked shipping", "Reship"):
        assert not model_may_speak(subject(title)), title
    assert model_may_speak(subject("Shipping from NL: 5g speed paste"))


FAKE_SHOP_TERMS = [
    _term("nike", "counterfeit", "Nike", "brand", 0.8, price_floor_eur="50"),
    _term("repair", "counterfeit", "repair service", "lookalike", 0.9),
    _term("rolex", "counterfeit", "Rolex", "brand", 1.0, price_floor_eur="3000"),
    _term("tadalafil", "medicine", "tadalafil", "inn", 1.0),
    _term("ohne rezept", "medicine", "no_prescription", "pharmacy_cue", 0.7),
    _term("verschreibungspflichtig", "medicine", "prescription required", "lookalike", 0.9),
]
FAKE_SHOP = LexiconMatcher(lexicon_entries(FAKE_SHOP_TERMS))


def _shop_subject(title: str, text: str, price_eur: float | None = None) -> Subject:
    full = f"{title}\n{text}"
    return Subject(title, text, tuple(FAKE_SHOP.find(full)), price_eur)


def test_a_brand_at_a_fake_shops_discount_is_counterfeit() -> None:
    fake = _shop_subject("Nike Dunk Low", "Nur 44,99 € statt 189,99 €!", 44.99)
    assert CounterfeitDetector().detect(fake).score >= 0.8
    sale = _shop_subject("Nike Dunk Low", "89,99 € statt 119,99 €", 89.99)
    assert CounterfeitDetector().detect(sale).score < 0.5


def test_a_price_test_never_revives_a_brand_a_lookalike_negates() -> None:
    # A repairer's price is far below a Rolex's: the service, not a fake watch.
    repairer = _shop_subject("Rolex repair, fixed price", "Full service from 495 EUR", 495.0)
    assert CounterfeitDetector().detect(repairer).score < 0.5
    assert CounterfeitDetector().detect(_shop_subject("Rolex Submariner", "", 495.0)).score >= 0.8


def test_a_pharmacy_asking_for_the_prescription_sells_lawfully() -> None:
    lawful = _shop_subject(
        "Tadalafil 20 mg, 4 Tabletten",
        "Dieses Arzneimittel ist verschreibungspflichtig: bitte Rezept einsenden. 71,68 EUR.",
    )
    assert MedicineDetector().detect(lawful).score < 0.5
    rogue = _shop_subject("Tadalafil 20 mg, 100 Tabletten", "Ohne Rezept, diskreter Versand.")
    assert MedicineDetector().detect(rogue).score >= 0.5


def test_a_lots_price_is_read_per_piece_a_sets_parts_are_not_a_lot() -> None:
    def lot(title: str, price: float, count: float) -> float:
        found = tuple(FAKE_SHOP.find(title))
        return (
            CounterfeitDetector()
            .detect(Subject(title, "", found, price, count, None, "item"))
            .score
        )

    assert lot("Nike Air Max - lot of 10", 120.0, 10) >= 0.8  # 12 EUR a pair
    assert lot("Nike Air Max - lot of 10", 900.0, 10) < 0.5
    assert lot("Nike building set, 474 pieces", 49.99, 474) < 0.5


def test_an_emoji_is_a_term_of_its_own() -> None:
    matcher = LexiconMatcher(lexicon_entries([_term("🌿", "drugs", "drug emoji", "slang", 0.3)]))
    assert [h.text for h in matcher.find("Ott 🌿 frisch, 🌿🌿")] == ["🌿", "🌿", "🌿"]
    # A one-letter term would match inside every abbreviation: letters keep the minimum.
    assert LexiconMatcher(lexicon_entries([_term("x", "drugs", "x", "slang")])).find("x") == []


def test_an_emoji_matches_glued_to_a_word_and_without_its_variation_selector() -> None:
    matcher = LexiconMatcher(lexicon_entries([_term("❄️", "drugs", "drug emoji", "slang", 0.3)]))
    assert [h.start for h in matcher.find("coke❄️ and ❄ here")] == [4, 11]


def test_a_rogue_pharmacys_question_or_its_no_prescription_is_no_lawful_sale() -> None:
    for title, text in (
        ("Tadalafil 20 mg, 100 Tabletten", "Verschreibungspflichtig? Nicht bei uns. Ohne Rezept!"),
        ("Tadalafil 20 mg ohne Rezept", "Verschreibungspflichtig in der Apotheke, hier nicht."),
    ):
        rogue = _shop_subject(title, text)
        assert MedicineDetector().detect(rogue).score >= 0.5, text
    # In its text a pharmacy says what happens without a prescription.
    lawful = _shop_subject(
        "Tadalafil 20 mg, 4 Tabletten", "Verschreibungspflichtig: ohne Rezept keine Lieferung."
    )
    assert MedicineDetector().detect(lawful).score < 0.5


def test_a_stock_count_in_the_text_is_no_lot() -> None:
    found = tuple(FAKE_SHOP.find("Nike Air Max"))
    stock = Subject(
        "Nike Air Max", "90 EUR per pair, 10 pcs in stock", found, 90.0, 10, None, "item"
    )
    assert CounterfeitDetector().detect(stock).score < 0.5


def test_a_long_title_is_judged_at_once_whatever_its_words() -> None:
    # A word of hundreds of letters after "custom order for": the pattern must not try
    # every way of splitting it (it took 25 s at 400 letters with "\S+\s*" repeated).
    # Six words after "for" are no buyer's name: the model may speak.
    assert model_may_speak(subject("custom order for " + "x" * 400 + " a b c d e"))
