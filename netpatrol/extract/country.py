"""Country hints from a URL: the ccTLD, and the currency a shop of that country uses.

Used to read ambiguous prices ("$" in Canada, "kr" in Denmark) and national phone
numbers. A generic TLD (.com, .net, .onion) gives no hint rather than a guess.
"""

from __future__ import annotations

from netpatrol.store.sites import site_of

# ccTLDs that are not the ISO 3166 code of their country.
_TLD_EXCEPTIONS = {"uk": "GB", "gb": "GB", "eu": None}
# Country -> currency of its shops (ISO 4217).
COUNTRY_CURRENCY = {
    "AT": "EUR",
    "BE": "EUR",
    "CY": "EUR",
    "DE": "EUR",
    "EE": "EUR",
    "ES": "EUR",
    "FI": "EUR",
    "FR": "EUR",
    "GR": "EUR",
    "HR": "EUR",
    "IE": "EUR",
    "IT": "EUR",
    "LT": "EUR",
    "LU": "EUR",
    "LV": "EUR",
    "MT": "EUR",
    "NL": "EUR",
    "PT": "EUR",
    "SI": "EUR",
    "SK": "EUR",
    "GB": "GBP",
    "CH": "CHF",
    "LI": "CHF",
    "PL": "PLN",
    "CZ": "CZK",
    "HU": "HUF",
    "RO": "RON",
    "BG": "BGN",
    "SE": "SEK",
    "NO": "NOK",
    "DK": "DKK",
    "IS": "ISK",
    "TR": "TRY",
    "UA": "UAH",
    "RU": "RUB",
    "US": "USD",
    "CA": "CAD",
    "AU": "AUD",
    "NZ": "NZD",
    "JP": "JPY",
    "CN": "CNY",
    "IN": "INR",
    "BR": "BRL",
    "AR": "ARS",
    "MX": "MXN",
    "ZA": "ZAR",
    "KZ": "KZT",
    "SA": "SAR",
    "AE": "AED",
    "BY": "BYN",
    "RS": "RSD",
    "TW": "TWD",
    "KR": "KRW",
    "PK": "PKR",
    # Euro users outside the euro area, and Europe's other currencies.
    "XK": "EUR",
    "AD": "EUR",
    "MC": "EUR",
    "SM": "EUR",
    "VA": "EUR",
    "BA": "BAM",
    "MK": "MKD",
    "AL": "ALL",
    "GE": "GEL",
    # Jersey and Gibraltar price in pounds sterling (their own notes are at par). Not the
    # ccTLDs most sites under them are not of the country: .co, .me, .md, .gg, .im.
    "GI": "GBP",
    "JE": "GBP",
    "FO": "DKK",
    "GL": "DKK",
    "IL": "ILS",
    "SG": "SGD",
    "HK": "HKD",
    "MY": "MYR",
    "ID": "IDR",
    "TH": "THB",
    "PH": "PHP",
    "VN": "VND",
    "CL": "CLP",
    "PE": "PEN",
    "EG": "EGP",
    "NG": "NGN",
    "MA": "MAD",
    "QA": "QAR",
    "OM": "OMR",
    "KW": "KWD",
}


def country_of(url: str | None) -> str | None:
    """ISO 3166 alpha-2 of the URL's ccTLD, or None (generic TLD, no URL)."""
    domain = site_of(url)
    if domain is None or "." not in domain:
        return None
    tld = domain.rsplit(".", 1)[-1].lower()
    if tld in _TLD_EXCEPTIONS:
        return _TLD_EXCEPTIONS[tld]
    if len(tld) == 2 and tld.isalpha():
        return tld.upper()
    return None


def region_of_language(tag: str | None) -> str | None:
    """The region of a language tag ("es-CL" -> "CL", "fr_CA" -> "CA"), or None ("en",
    "es-419": no country)."""
    if not tag:
        return None
    parts = tag.replace("_", "-").split("-")
    region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    return region.upper() if region else None


def currency_of(country: str | None) -> str | None:
    return COUNTRY_CURRENCY.get(country) if country else None
