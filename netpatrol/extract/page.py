"""A stored page -> its listings: one for a product or ad page, one per card on a list page."""

from __future__ import annotations

from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from netpatrol.extract.ads import third_party_ad
from netpatrol.extract.card_places import card_place
from netpatrol.extract.cards import list_cards
from netpatrol.extract.country import country_of, region_of_language
from netpatrol.extract.decode import decode_html
from netpatrol.extract.dom import (
    absolute,
    card_link,
    card_title,
    fallback_text,
    main_text,
    node_text,
    tracking_scripts,
    visible_text_and_links,
)
from netpatrol.extract.fields import Offer, build_listing, choose_price, fiat_equivalent
from netpatrol.extract.hints import seller_and_location
from netpatrol.extract.identifiers import FindContext, find_identifiers
from netpatrol.extract.labelled import badge_seller
from netpatrol.extract.language import detect_language
from netpatrol.extract.photos import offer_images
from netpatrol.extract.price_candidates import price_candidates
from netpatrol.extract.price_elements import price_elements
from netpatrol.extract.structured import StructuredOffer, structured_offers
from netpatrol.extract.titles import page_title, strip_prefix
from netpatrol.model import IdentifierMention, Listing
from netpatrol.store.sites import site_of

# Main text shorter than this (a page built by scripts, an odd layout): ask trafilatura.
SHORT_TEXT = 200
# Identifiers of the site rather than of one offer: every card of the page shares them.
# They live in scripts; the others in the visible text and links.
SITE_KINDS = frozenset({"google_analytics", "gtm", "adsense", "facebook_pixel"})
PERSON_KINDS = frozenset(
    {
        "email",
        "phone",
        "whatsapp",
        "telegram",
        "btc",
        "ltc",
        "eth",
        "xmr",
        "iban",
        "paypal",
        "onion",
        "domain",
    }
)


@dataclass(frozen=True)
class Page:
    html: str
    tree: LexborHTMLParser
    url: str | None
    country: str | None
    context: FindContext
    prices: list[LexborNode]  # price-like elements, found once per page
    bare_prices: list[LexborNode]  # amounts alone in elements called a price
    scripts: str  # the inline scripts that set tracking ids


def extract_page(payload: bytes, url: str | None, content_type: str | None = None) -> list[Listing]:
    """Listings of one HTML page (pure: bytes in, records out)."""
    html = decode_html(payload, content_type)
    tree = LexborHTMLParser(html)
    # A generic domain (.com) says no country; the page's language tag may ("es-CL").
    country = country_of(url) or region_of_language(_language_tag(tree))
    scripts = tracking_scripts(tree)
    offers = [o for o in structured_offers(tree, url) if o.name or o.price]
    # Code and styles are no part of what the page says; out of the tree, every later
    # step reads less (they can be most of a shop page's bytes).
    tree.strip_tags(["script", "style", "noscript", "template"])
    bare: list[LexborNode] = []
    page = Page(
        html,
        tree,
        url,
        country,
        FindContext(region=country, page_domain=site_of(url)),
        price_elements(tree, bare),
        bare,
        scripts,
    )
    # A page that declares one product is that product's page, whatever else it lists.
    # The variants of one ProductGroup are one product.
    single_product = len({o.group or o.name for o in offers if o.syntax != "opengraph"}) == 1
    cards = None if single_product else _site_cards(page)
    if cards:
        site_ids = find_identifiers(page.scripts, page.context, SITE_KINDS)
        # The cards, not the page around them, say what language the offers are in.
        language = detect_language(" ".join(filter(None, (node_text(c) for c in cards))))
        return [_card_listing(page, card, i, site_ids, language) for i, card in enumerate(cards)]
    return [_detail_listing(page, offers)]


def _site_cards(page: Page) -> tuple[LexborNode, ...] | None:
    """The cards of a list page, without an ad network's boxes laid out like them."""
    cards = list_cards(page.tree, page.prices)
    if cards is None:
        return None
    site = page.context.page_domain
    return tuple(card for card in cards if not third_party_ad(card, page.url, site))


def _detail_listing(page: Page, offers: list[StructuredOffer]) -> Listing:
    main = next((o for o in offers if o.syntax != "opengraph" and o.price), None) or next(
        (o for o in offers if o.price or o.name), None
    )
    body = page.tree.body
    hints = seller_and_location(body, page=True) if body is not None else {}
    mentions = [
        *find_identifiers(visible_text_and_links(page.tree), page.context, PERSON_KINDS),
        *find_identifiers(page.scripts, page.context, SITE_KINDS),
    ]
    candidates = price_candidates(page.tree, page.prices, page.bare_prices)
    price = choose_price(
        main,
        candidates.texts,
        page.country,
        candidates.currency,
        sales=candidates.sales,
        current=candidates.current,
        stale=candidates.stale,
        selected=candidates.selected,
    )
    found_images = _declared_images(main, page.url) or tuple(
        offer_images(page.tree, page.url, limit=5, page=True)
    )
    declared = strip_prefix(main.name) if main and main.syntax != "opengraph" else None
    shared = main.name if main and main.syntax == "opengraph" else None
    title = declared or page_title(page.tree, page.context.page_domain, shared)
    text = main_text(page.tree)  # strips the tree: the last reader
    if text is None or len(text) < SHORT_TEXT:
        text = fallback_text(page.html, page.url) or text
    offer = Offer(
        title=title,
        text=text,
        url=absolute(main.url if main else None, page.url) or page.url,
        price=price,
        seller=(main.seller if main else None) or hints.get("seller"),
        location=hints.get("location"),
        images=found_images,
        structured=_structured_summary(main),
        value_price=fiat_equivalent(price, candidates.texts, page.country),
        quantity_in_text=False,
        description=after_title(text, title),
    )
    return build_listing(offer, page.country, mentions, position=0)


def _card_listing(
    page: Page,
    card: LexborNode,
    position: int,
    site_ids: list[IdentifierMention],
    language: str | None,
) -> Listing:
    card_hints = seller_and_location(card)
    title = card_title(card)
    # An amount in the title is the seller's words ("licytacja od 1 zł", an auction's
    # start): the card's own price elements come first.
    texts = _title_last(price_candidates(card).texts, title)
    price = choose_price(None, texts, page.country)
    offer_text = node_text(card)
    offer = Offer(
        title=title,
        text=offer_text,
        url=card_link(card, page.url),
        price=price,
        seller=card_hints.get("seller") or badge_seller(card),
        location=card_hints.get("location") or card_place(card, title),
        images=tuple(offer_images(card, page.url, limit=3)),
        value_price=fiat_equivalent(price, texts, page.country),
        quantity_in_text=False,
        description=after_title(offer_text, title),
    )
    mentions = [
        *find_identifiers(visible_text_and_links(card), page.context, PERSON_KINDS),
        *site_ids,
    ]
    return build_listing(offer, page.country, mentions, position=position, language=language)


DESCRIPTION_WINDOW = 200  # characters after the title where an ad states its count


def after_title(text: str | None, title: str | None) -> str | None:
    """The words right after the title in the page's text: where a seller writes "Pair of
    ..."; None when the title is not in the text."""
    if not text or not title:
        return None
    start = text.find(title)
    if start < 0:
        return None
    end = start + len(title)
    return text[end : end + DESCRIPTION_WINDOW]


def _title_last(texts: list[str], title: str | None) -> list[str]:
    return sorted(texts, key=lambda text: text == title) if title else texts


def _language_tag(tree: LexborHTMLParser) -> str | None:
    root = tree.root
    return root.attributes.get("lang") if root is not None else None


def _declared_images(offer: StructuredOffer | None, base: str | None) -> tuple[str, ...]:
    if offer is None:
        return ()
    return tuple(dict.fromkeys(u for u in (absolute(i, base) for i in offer.images) if u))


def _structured_summary(offer: StructuredOffer | None) -> dict[str, object]:
    if offer is None:
        return {}
    summary = {
        "syntax": offer.syntax,
        "brand": offer.brand,
        "sku": offer.sku,
        "availability": offer.availability,
        "currency": offer.currency,
        "price": offer.price,
        "low_price": offer.low_price,
        "high_price": offer.high_price,
    }
    return {k: v for k, v in summary.items() if v}
