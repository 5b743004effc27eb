"""Pages of the test marketplace: categories, paginated listing pages, listings, off-topic.

Deterministic, so tests can count exactly which pages a crawl must capture. Listings
carry prices, sellers and images; some are in French and German like the IFAW
platforms. Off-topic pages (blog, help) are linked first from the home page, so that a
breadth-first crawl meets them before the listings and a focused one does not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

PER_PAGE = 4
PAGES_PER_CATEGORY = 3
BLOG_POSTS = 12


@dataclass(frozen=True)
class Item:
    id: int
    category: str
    title: str
    text: str
    price: str
    seller: str
    location: str
    lang: str


_OFFERS: dict[str, list[tuple[str, str, str, str]]] = {
    # category: (lang, title, text, price)
    "wildlife": [
        ("en", "Carved ivory bracelet, elephant tusk", "Genuine antique ivory from tusk.", "€ 850"),
        (
            "fr",
            "Perroquet gris du Gabon à vendre",
            "Jeune perroquet gris, bague, papiers.",
            "1 200 €",
        ),
        (
            "de",
            "Landschildkröte Testudo hermanni abzugeben",
            "Griechische Landschildkröte.",
            "150 €",
        ),
        ("en", "Pangolin scales 1 kg", "Dried pangolin scales, discreet shipping.", "€ 400"),
        ("fr", "Corne de rhinocéros poudre 50 g", "Poudre de corne de rhinocéros pure.", "3 000 €"),
        ("de", "Elfenbein Schnitzerei antik", "Alte Elfenbeinfigur, Stoßzahn.", "900 €"),
    ],
    "medicine": [
        (
            "en",
            "Buy Viagra 100mg no prescription",
            "Sildenafil pills, 30 tablets, no rx needed.",
            "€ 45",
        ),
        (
            "fr",
            "Tramadol 50 mg sans ordonnance",
            "Boîte de 60 comprimés, livraison rapide.",
            "79 €",
        ),
        ("de", "Oxycodon 40 mg ohne Rezept", "20 Tabletten, diskreter Versand.", "120 €"),
        ("en", "Xanax 2mg bars without prescription", "Alprazolam 2 mg, 100 pills.", "€ 150"),
    ],
    "counterfeit": [
        ("en", "Rolex Submariner replica AAA", "Swiss movement replica watch, 1:1 copy.", "€ 180"),
        (
            "fr",
            "Sac Louis Vuitton copie parfaite",
            "Réplique sac Neverfull, qualité miroir.",
            "95 €",
        ),
        ("de", "Gucci Gürtel Replika", "Original-Optik, 1:1 Kopie.", "49 €"),
        ("en", "Nike Air Jordan fake sneakers wholesale", "Replica sneakers, 10 pairs.", "€ 300"),
    ],
}
SELLERS = ("exotic_trader", "pharma-direct", "lux4less", "jean.dupont", "tierfreund77")
# How each seller asks to be contacted, as real ads do. Not real people's: the phone
# numbers are libphonenumber's documentation examples (France and Germany mobile; the
# numbers kept for fiction are rejected as invalid), the e-mail is under example.org
# (RFC 2606), the wallet is the BIP-173 example address. Two sellers share a WhatsApp
# number: the Link stage joins them.
SELLER_CONTACTS = {
    "exotic_trader": "WhatsApp: +33 6 12 34 56 78, payment in bitcoin "
    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    "tierfreund77": "WhatsApp +33 6 12 34 56 78",
    "pharma-direct": "Orders: pharma-direct@example.org",
    "lux4less": "Telegram: t.me/lux4less_shop",
    "jean.dupont": "Handy +49 1512 3456789",
}
PLACES = ("Lyon", "Berlin", "Marseille", "München", "Bruxelles")


def items() -> list[Item]:
    """Every listing, numbered from 1; each category's offers repeated to fill its pages."""
    found: list[Item] = []
    for category, offers in _OFFERS.items():
        for n in range(PER_PAGE * PAGES_PER_CATEGORY):
            lang, title, text, price = offers[n % len(offers)]
            number = len(found) + 1
            seller, place = SELLERS[number % len(SELLERS)], PLACES[number % len(PLACES)]
            found.append(
                Item(number, category, f"{title} #{number}", text, price, seller, place, lang)
            )
    return found


def page(title: str, body: str, lang: str = "en", charset: str | None = "utf-8") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head>{meta}<title>{escape(title)}</title></head>'
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )


def home() -> str:
    blog = "".join(f'<li><a href="/blog/{n}">Our story, part {n}</a></li>' for n in range(1, 4))
    cats = "".join(f'<li><a href="/category/{c}">{c.title()}</a></li>' for c in _OFFERS)
    faults = (
        '<a href="/missing-page">Old offers</a> <a href="/error500">Deals</a> '
        '<a href="/slow">Slow deals</a> <a href="/loop/a">Loop</a> <a href="/big">Catalogue</a> '
        '<a href="/bomb">Archive</a> <a href="/charset/wrong">Angebote</a> '
        '<a href="/charset/missing">Annonces</a> <a href="/private/admin">Admin</a> '
        '<a href="/help">Help</a> <a href="/about">About us</a>'
    )
    return page("Market24 classifieds", f"<ul>{blog}</ul><ul>{cats}</ul><p>{faults}</p>")


def category_page(category: str, number: int) -> str | None:
    if category not in _OFFERS or not 1 <= number <= PAGES_PER_CATEGORY:
        return None
    mine = [i for i in items() if i.category == category]
    chunk = mine[(number - 1) * PER_PAGE : number * PER_PAGE]
    cards = "".join(
        f'<div class="ad"><a href="/listing/{i.id}">{escape(i.title)}</a>'
        f'<span class="price">{escape(i.price)}</span></div>'
        for i in chunk
    )
    nav = f'<a rel="next" href="/category/{category}?page={number + 1}">Next page</a>' * (
        number < PAGES_PER_CATEGORY
    )
    return page(f"{category.title()} - page {number}", cards + nav)


def _hidden(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in text)


def js_category_page(category: str) -> str | None:
    """A category whose listing cards are built by JavaScript from inline JSON.

    The HTML as sent holds no card, no title and no listing link: only a crawl that runs
    the script (``js=1``) sees the listings.
    """
    if category not in _OFFERS:
        return None
    mine = [i for i in items() if i.category == category][:PER_PAGE]
    # Every character of the texts as a \\uXXXX escape: no title, price or seller is readable
    # in the page's source, so a crawl that does not run the script finds none.
    data = [
        {
            "id": i.id,
            "title": _hidden(i.title),
            "price": _hidden(i.price),
            "seller": _hidden(i.seller),
        }
        for i in mine
    ]
    blob = json.dumps(data).replace("\\\\u", "\\u")
    script = (
        f'<script type="application/json" id="ads">{blob}</script>'
        '<div id="cards">Loading offers...</div><script>'
        "var ads = JSON.parse(document.getElementById('ads').textContent);"
        "var box = document.getElementById('cards'); box.textContent = '';"
        "ads.forEach(function (ad) {"
        " var card = document.createElement('div'); card.className = 'ad';"
        " var link = document.createElement('a'); link.href = '/listing/' + ad.id;"
        " link.textContent = ad.title; card.appendChild(link);"
        " var price = document.createElement('span'); price.className = 'price';"
        " price.textContent = ad.price; card.appendChild(price);"
        " var seller = document.createElement('span'); seller.className = 'seller';"
        " seller.textContent = 'Seller: ' + ad.seller; card.appendChild(seller);"
        " box.appendChild(card); });"
        "</script>"
    )
    return page(f"{category.title()} - live offers", script)


def listing_page(number: int, discounted: bool = False) -> str | None:
    found = [i for i in items() if i.id == number]
    if not found:
        return None
    item = found[0]
    price = "SALE -20% " + item.price if discounted else item.price
    body = (
        f'<div class="listing"><p class="description">{escape(item.text)}</p>'
        f'<p class="price">Price: {escape(price)}</p>'
        f'<p class="seller">Seller: {escape(item.seller)}</p>'
        f'<p class="location">Location: {escape(item.location)}</p>'
        f'<p class="contact">{escape(SELLER_CONTACTS[item.seller])}</p>'
        f'<img src="/img/{item.id}.png" alt="photo"></div>'
        f'<a href="/category/{item.category}">Back to {item.category}</a>'
    )
    return page(item.title, body, lang=item.lang)


REMOVED_NOTICE = {
    "en": "This listing has been removed by the seller.",
    "fr": "Cette annonce a été supprimée par son auteur.",
    "de": "Diese Anzeige wurde gelöscht.",
}
SEIZED = page(
    "THIS HIDDEN SITE HAS BEEN SEIZED",
    "<p>This hidden site has been seized by the Federal Bureau of Investigation and "
    "Europol as part of a coordinated law enforcement action.</p>",
)


def removed_page(number: int) -> str | None:
    """What platforms show at a taken-down listing's URL: status 200 and a notice."""
    found = [i for i in items() if i.id == number]
    if not found:
        return None
    item = found[0]
    notice = f'<div class="notice">{escape(REMOVED_NOTICE[item.lang])}</div>'
    return page("Market24", notice + f'<a href="/category/{item.category}">Back</a>', item.lang)


def bench_page(number: int, total: int) -> str:
    """A tree of listing-like pages, four links each, for crawl speed measurements."""
    item = items()[number % len(items())]
    links = "".join(
        f'<li><a href="/bench/{n}">{escape(item.title)} {n}</a></li>'
        for n in range(number * 4 + 1, min(number * 4 + 5, total))
    )
    text = f"<p>{escape(item.text)} {escape(item.price)} {escape(item.seller)}</p>" * 8
    return page(f"{item.title} ({number})", text + f"<ul>{links}</ul>", item.lang)


def blog_page(number: int) -> str | None:
    if not 1 <= number <= BLOG_POSTS:
        return None
    nxt = f'<a href="/blog/{number + 1}">Read more stories</a>' if number < BLOG_POSTS else ""
    text = "<p>We love gardening, cooking and long walks with our dogs.</p>" * 5
    return page(f"Our story, part {number}", text + nxt + '<a href="/about">About</a>')


def static_page(path: str) -> str | None:
    texts = {
        "/about": page("About Market24", "<p>Since 2010. <a href='/help'>Help</a></p>"),
        "/help": page("Help", "<p>How to post an ad. <a href='/about'>About</a></p>"),
        "/private/admin": page("Admin", "<p>Back office</p>"),
    }
    return texts.get(path)


# A 1x1 transparent PNG: listings have images, the crawler captures them.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def allowed_pages() -> set[str]:
    """Every path a full, polite crawl must capture with status 200."""
    paths = {"/", "/about", "/help", "/robots.txt", "/charset/wrong", "/charset/missing"}
    paths |= {f"/blog/{n}" for n in range(1, BLOG_POSTS + 1)}
    for category in _OFFERS:
        paths.add(f"/category/{category}")
        paths |= {f"/category/{category}?page={n}" for n in range(2, PAGES_PER_CATEGORY + 1)}
    for item in items():
        paths |= {f"/listing/{item.id}", f"/img/{item.id}.png"}
    return paths


def listing_paths() -> set[str]:
    return {f"/listing/{i.id}" for i in items()}
