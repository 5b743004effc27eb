"""From raw offer fields (texts as found) to a Listing: price, currency, EUR, quantity,
language and identifiers. Shared by pages, ad exports and plain text input."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from netpatrol.extract.country import currency_of
from netpatrol.extract.currency import CRYPTO, resolve_currency
from netpatrol.extract.language import detect_language
from netpatrol.extract.price import OPENING_BID_RE, PriceResult, parse_price
from netpatrol.extract.quantity import Quantity, count_specimens, parse_quantity, stated_count
from netpatrol.extract.rates import RateTable, load_rates
from netpatrol.extract.seller_label import seller_by_label
from netpatrol.extract.shipping import located_in, ships_from
from netpatrol.extract.structured import StructuredOffer
from netpatrol.extract.titles import names_site
from netpatrol.model import IdentifierMention, Listing
from netpatrol.store.sites import site_of

QUANTITY_TEXT = 2000  # quantities are stated early; the rest of a page is noise
# A sale price below this share of the old one is more likely another amount of the box.
MIN_SALE_RATIO = 0.2
MAX_TAX_RATIO = 1.3  # a price with tax over one without (VAT is 27 % at most in the EU)


@dataclass(frozen=True)
class Offer:
    """Fields of one offer as found, before interpretation."""

    title: str | None
    text: str | None
    url: str | None = None
    price: PriceResult | None = None
    seller: str | None = None
    location: str | None = None
    images: tuple[str, ...] = ()
    structured: dict[str, Any] = field(default_factory=dict)
    # The same offer's price in a currency with a rate, for its EUR value when the price's
    # own currency has none (a market's "0.0021 BTC" beside "USD 65.00").
    value_price: PriceResult | None = None
    # Whether the text states the quantity: an ad's description does; a web page's text
    # holds specifications, instalments ("Payez en 4x"), stock and other products' sizes,
    # and only the words right after its title (``description``) are read for a count.
    quantity_in_text: bool = True
    description: str | None = None


_rates: list[RateTable] = []


def rates() -> RateTable:
    """The rate table in use: a workspace's own (``use_rates``) or the shipped ECB table."""
    if not _rates:
        _rates.append(load_rates())
    return _rates[0]


def use_rates(table: RateTable) -> None:
    """Convert with this table from now on (``netpatrol rates import`` gives one)."""
    _rates[:] = [table]


def choose_price(
    declared: StructuredOffer | None,
    candidates: Sequence[str],
    country: str | None,
    currency: str | None = None,
    sales: Sequence[tuple[str, str]] = (),
    current: Sequence[str] = (),
    stale: Sequence[str] = (),
    selected: Sequence[str] = (),
) -> PriceResult | None:
    """The offer's price: declared structured data first, then the page's price texts.

    ``currency``: the page's declared currency, for amounts shown without one (else the
    currency of the site's country). ``sales``: (old price, current price) texts the page
    shows side by side; ``current``: every price it shows as current; ``stale``: every
    price it shows as not current (old, before tax, shipping); ``selected``: the prices
    of a drop-down's selected options."""
    local = currency or currency_of(country)
    if declared is not None and (declared.price or declared.low_price):
        hint = resolve_currency(declared.currency, country) or local
        found = parse_price(
            declared.price or declared.low_price or "", country=country, currency_hint=hint
        )
        if found is not None and found.amount == 0:
            # A declared 0 is a placeholder when the page shows a price.
            shown = _first_price(candidates, country, found.currency)
            if shown is not None and shown.amount:
                return shown
        ranged = declared.low_price and declared.high_price
        if found is not None and found.amount is not None and (not declared.price or ranged):
            # Only a range declared, or a range beside its first seller's or variant's
            # price (Best Buy's open-box offer): the buy box's price within it.
            shown = _within_range(declared, current, country, hint)
            if shown is not None:
                return shown
        if found is not None and found.amount is not None:
            now = _variant_selected_by_drop_down(
                found, declared.variant_prices, selected, country
            ) or _instead_of_declared(found, sales, stale, current, country)
            if now is not None:
                return now
            if not _opening_bid(found.amount, candidates, country, found.currency):
                return found
            # The declared price is the page's "starting bid": the lot now stands at the
            # page's leading other price (the current bid), when there is one.
            bid = _first_price(candidates, country, found.currency, skip=found.amount)
            return bid if bid is not None and bid.amount is not None else found
    return _first_price(candidates, country, local)


def _instead_of_declared(
    declared: PriceResult,
    sales: Sequence[tuple[str, str]],
    stale: Sequence[str],
    current: Sequence[str],
    country: str | None,
) -> PriceResult | None:
    """The price the page shows instead of the declared one, when it shows the declared
    price nowhere as current: a sale's (``_sale_price``) or the first current one
    (``_shown_instead``). The current texts are read once for both."""
    if declared.amount is None or not (sales or (stale and current)):  # most pages
        return None
    shown = [parse_price(t, country=country, currency_hint=declared.currency) for t in current]
    if any(price is not None and price.amount == declared.amount for price in shown):
        return None
    return _sale_price(declared, sales, country) or _shown_instead(declared, stale, shown, country)


def _sale_price(
    declared: PriceResult, sales: Sequence[tuple[str, str]], country: str | None
) -> PriceResult | None:
    """The current price of a sale the declared price belongs before: a shop whose
    structured data kept the old price, or an earlier markdown between the old and the new
    one (Wayfair: declared $689.99, shown "$1,099.00" struck beside "$629.99"). (Another
    product's sale at the same old price stands in a related strip.)"""
    for old, shown in sales:
        before = _amount_of(old, country, declared.currency)
        if before is None or declared.amount is None or not declared.amount <= before:
            continue
        now = parse_price(shown, country=country, currency_hint=declared.currency)
        if now is None or not now.amount or now.currency != declared.currency:
            continue
        if MIN_SALE_RATIO * declared.amount <= now.amount < declared.amount:
            return now
    return None


def _variant_selected_by_drop_down(
    declared: PriceResult, variants: Sequence[str], selected: Sequence[str], country: str | None
) -> PriceResult | None:
    """The price of the variant a drop-down has selected, when the product declares one
    offer per variant and the first is not that one."""
    if not variants or not selected:
        return None
    amounts = {_amount_of(v, country, declared.currency) for v in variants}
    for text in selected:
        now = parse_price(text, country=country, currency_hint=declared.currency)
        if now is not None and now.amount != declared.amount and now.amount in amounts:
            return now if now.currency == declared.currency else None
    return None


def _shown_instead(
    declared: PriceResult,
    stale: Sequence[str],
    shown: Sequence[PriceResult | None],
    country: str | None,
) -> PriceResult | None:
    """The first current price (``shown``, read), when the page shows the declared amount
    only as a price that is not current: a shop whose structured data gives the price
    before tax (Magento with "Hors TVA" beside the price) or the old one of a sale."""
    if not stale or not shown or not declared.amount:
        return None
    if all(_amount_of(t, country, declared.currency) != declared.amount for t in stale):
        return None
    now = next((price for price in shown if price is not None and price.amount), None)
    if now is None or now.currency != declared.currency or now.amount is None:
        return None
    # A sale, or the price with its tax (27 % at most in the EU), not another amount.
    low, high = MIN_SALE_RATIO * declared.amount, MAX_TAX_RATIO * declared.amount
    return now if low <= now.amount <= high else None


def _amount_of(text: str, country: str | None, currency: str | None) -> float | None:
    found = parse_price(text, country=country, currency_hint=currency)
    return found.amount if found is not None else None


def _first_price(
    candidates: Sequence[str], country: str | None, hint: str | None, skip: float | None = None
) -> PriceResult | None:
    first: PriceResult | None = None
    zero: PriceResult | None = None
    for text in candidates:
        found = parse_price(text, country=country, currency_hint=hint)
        if found is None or (skip is not None and found.amount == skip):
            continue
        if found.amount == 0 and _ZERO_WITH_CENTS.search(text):
            # "$0.00", "0,00 €": an account's balance or an empty cart, not an offer;
            # a gift says so in words ("Zu verschenken") or as a bare "0 €".
            zero = zero or found
            continue
        if found.amount is not None and found.currency is not None:
            return _chosen_in_range(found, candidates, country, hint) or found
        first = first or found
    return first or zero


def _chosen_in_range(
    found: PriceResult, candidates: Sequence[str], country: str | None, hint: str | None
) -> PriceResult | None:
    """For a range shown first ("£28 - £36", the variants' prices), the first single
    price within it that the page shows after it: the selected size's."""
    if found.low is None or found.high is None:
        return None
    for text in candidates:
        other = parse_price(text, country=country, currency_hint=hint)
        if (
            other is not None
            and other.high is None
            and other.amount
            and other.currency == found.currency
            and found.low <= other.amount <= found.high
        ):
            return other
    return None


_ZERO_WITH_CENTS = re.compile(r"(?<![\d.,])0[.,]0+(?!\d)")


def _within_range(
    declared: StructuredOffer, current: Sequence[str], country: str | None, hint: str | None
) -> PriceResult | None:
    """For an offer declared only as a range of sellers' or variants' prices (an
    AggregateOffer's lowPrice..highPrice), the first current price shown within it: the
    buy box's own seller or selected variant, not the cheapest of them."""
    low = parse_price(declared.low_price or "", country=country, currency_hint=hint)
    high = parse_price(declared.high_price or "", country=country, currency_hint=hint)
    if low is None or low.amount is None:
        return None
    top = high.amount if high is not None and high.amount is not None else float("inf")
    for text in current:
        found = parse_price(text, country=country, currency_hint=hint)
        if found is None or found.high is not None:  # the range again, in words
            continue
        if found.amount and low.amount <= found.amount <= top:
            return found if found.currency == low.currency else None
    return None


def _opening_bid(
    amount: float, candidates: Sequence[str], country: str | None, currency: str | None
) -> bool:
    """Whether a price text of the page labels ``amount`` as an auction's opening bid."""
    for text in candidates:
        if OPENING_BID_RE.search(text) is None:
            continue
        found = parse_price(text, country=country, currency_hint=currency)
        if found is not None and found.amount == amount:
            return True
    return False


def build_listing(
    offer: Offer,
    country: str | None,
    mentions: Sequence[IdentifierMention],
    position: int = 0,
    language: str | None = None,
) -> Listing:
    """``language``: the page's, for cards too short to tell on their own."""
    price = offer.price
    amount = price.amount if price is not None else None
    currency = price.currency if price is not None else None
    quantity = (
        _quantity(offer.title, offer.text)
        if offer.quantity_in_text
        else _page_quantity(offer.title, offer.description)
    )
    return Listing(
        title=offer.title,
        text=offer.text,
        url=offer.url,
        language=language or detect_language(" ".join(filter(None, (offer.title, offer.text)))),
        price=amount,
        currency=currency,
        price_eur=_to_eur(amount, currency) or _value_in_eur(offer.value_price),
        quantity=quantity.value if quantity is not None else None,
        unit=quantity.unit if quantity is not None else None,
        seller=_seller(offer),
        location=offer.location or ships_from(offer.text) or located_in(offer.text),
        images=offer.images,
        identifiers=tuple(mentions),
        structured=offer.structured,
        position=position,
    )


def _seller(offer: Offer) -> str | None:
    """The seller found on the offer, else the one a label in its text names; neither when
    it is the product's brand (Shopify's "Vendor: Nike") or the site itself ("Walmart.com",
    a shop's JSON-LD seller): a site selling on its own pages has no seller account."""
    brand = offer.structured.get("brand")
    site = site_of(offer.url)
    for name in (offer.seller, seller_by_label(offer.text)):
        if not name:
            continue
        if (isinstance(brand, str) and brand.casefold() == name.casefold()) or names_site(
            name, site
        ):
            return None
        return name
    return None


def _quantity(title: str | None, text: str | None) -> Quantity | None:
    """A stated quantity ("lot de 3", "100 tabs"), else a count of specimens
    ("pair of mounted bats"); None when nothing is stated (never a guessed 1)."""
    start = (text or "")[:QUANTITY_TEXT]
    found = parse_quantity(title or "") or parse_quantity(start)
    if found is not None:
        return found
    # parse_quantity read both: no explicit count to look for again.
    specimens = count_specimens(title or "", start, counts_checked=True)
    return Quantity(float(specimens), "specimen") if specimens is not None else None


def _page_quantity(title: str | None, description: str | None) -> Quantity | None:
    """On a web page: the title's quantity, else a count the words after the title state
    ("Pair of antique netsuke", "lot of 3"), else a count of specimens there."""
    found = parse_quantity(title or "") or stated_count(description or "")
    if found is not None:
        return found
    specimens = count_specimens(title or "", description, counts_checked=True)
    return Quantity(float(specimens), "specimen") if specimens is not None else None


def fiat_equivalent(
    price: PriceResult | None, candidates: Sequence[str], country: str | None
) -> PriceResult | None:
    """For a price in a cryptocurrency, the first other price text of the offer in a
    currency the rate table converts; None otherwise."""
    if price is None or price.currency not in CRYPTO:
        return None
    for text in candidates:
        found = parse_price(text, country=country)
        if found is not None and found.amount and _to_eur(found.amount, found.currency):
            return found
    return None


def _value_in_eur(price: PriceResult | None) -> float | None:
    return _to_eur(price.amount, price.currency) if price is not None else None


def _to_eur(amount: float | None, currency: str | None) -> float | None:
    if amount is None or currency is None:
        return None
    converted = rates().to_eur(amount, currency)
    return round(converted, 2) if converted is not None else None
