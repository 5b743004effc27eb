"""Third-party ads among a result page's cards: an ad network's box that the site lays out
like its own results ("Anzeige · Schildkrötenfutter bis -30 % | zooplus.de")."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from netpatrol.extract.dom import card_link
from netpatrol.store.sites import site_of

# Hosts of ad networks' click trackers.
AD_CLICK_SITES = frozenset(
    {
        "googleadservices.com",
        "doubleclick.net",
        "googlesyndication.com",
        "adnxs.com",
        "criteo.com",
        "taboola.com",
        "outbrain.com",
        "adform.net",
        "amazon-adsystem.com",
    }
)
# The label an ad carries before its text, in the EU's languages.
_AD_LABEL = re.compile(
    r"\s*(?:ad|ads|advert|advertisement|sponsored|anzeige|werbung|gesponsert|publicit[ée]|"
    r"sponsoris[ée]|annonce|annuncio|pubblicit[àa]|sponsorizzato|anuncio|publicidad|"
    r"patrocinado|publicidade|advertentie|gesponsord|reklama|sponzorov[áa]no|hirdet[ée]s|"
    r"reklam|annons|mainos|reklāma|reklaam|reklamos|diafimisi|реклама|διαφήμιση)\b",
    re.IGNORECASE,
)
MAX_LABEL_AT = 40  # characters of the card's text the label may stand in


def third_party_ad(card: LexborNode, page_url: str | None, page_site: str | None) -> bool:
    """Whether a card is an ad network's box rather than one of the site's offers: its
    link leads off the site (``page_site``: the page's registered domain), through an ad
    network's click tracker or under an ad label."""
    target = site_of(card_link(card, page_url))
    if target is None or target == page_site:
        return False
    if target in AD_CLICK_SITES:
        return True
    return _AD_LABEL.match(card.text(separator=" ", strip=True)[:MAX_LABEL_AT]) is not None
