"""Words that say a listing was taken down or a whole site was seized, in the patrol's languages.

Re-checking a listing is how a takedown is confirmed, and platforms rarely answer 404:
most keep the URL and show a notice ("Diese Anzeige wurde gelöscht"), and a seized
market shows a law-enforcement banner on every URL, often with status 200. Phrases are
matched on the page's visible text, case-folded, with whitespace collapsed; they are
whole phrases, not single words, because a single word ("removed", "beschlagnahmt")
also occurs in ordinary listings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_AD = (
    r"(?:listing|ad|advert|advertisement|item|offer|product|post|page|classified|auction|"
    r"vendor|shop)"
)
REMOVED = [
    # English
    rf"\b(?:this|the) {_AD} (?:has been|was|is|have been) (?:removed|deleted|taken down|"
    r"withdrawn|deactivated|suspended|closed|expired)",
    rf"\b{_AD}s? (?:is |are )?no longer (?:available|active|online|exists?|listed)",
    r"\bno longer available\b",
    rf"\b{_AD} (?:not found|does not exist|doesn't exist|has expired)",
    # French
    r"\bannonce (?:a été |est )?(?:supprimée|retirée|désactivée|expirée|clôturée)",
    r"\b(?:n'est|n’est) plus (?:disponible|en ligne|active)",
    r"\bcette annonce n(?:'|’)existe plus",
    # German
    r"\banzeige (?:wurde |ist )?(?:gelöscht|entfernt|deaktiviert|beendet|abgelaufen)",
    r"\b(?:angebot|artikel|anzeige|inserat) (?:ist |wurde )?(?:nicht mehr|leider nicht mehr) "
    r"(?:verfügbar|vorhanden|aktiv|online)",
    r"\bnicht mehr verfügbar\b",
    # Spanish
    r"\bya no está disponible",
    r"\banuncio (?:ha sido |fue )?(?:eliminado|borrado|retirado|desactivado)",
    # Italian
    r"\bnon (?:è )?più disponibile",
    r"\bannuncio (?:è stato )?(?:rimosso|eliminato|cancellato|scaduto)",
    # Dutch
    r"\bniet meer beschikbaar",
    r"\badvertentie (?:is )?(?:verwijderd|verlopen|offline gehaald)",
    # Portuguese
    r"\banúncio (?:foi )?(?:removido|excluído|desativado)",
    r"\bnão está mais disponível",
    # Polish
    r"\bogłoszenie (?:zostało )?(?:usunięte|zakończone|nieaktualne)",
]
_SITE = (
    r"(?:domain|website|web site|site|hidden site|hidden service|onion site|marketplace|"
    r"market|forum|platform|server)"
)
_AGENCY = (
    r"(?:the )?(?:fbi|federal bureau of investigation|europol|interpol|bka|bundeskriminalamt|"
    r"police|politie|polizei|gendarmerie|guardia civil|policía|policia|nca|national crime "
    r"agency|hsi|homeland security|dea|irs|department of justice|u\.s\. attorney|"
    r"law enforcement|eurojust|generalstaatsanwaltschaft|zitis|garda)"
)
SEIZED = [
    rf"\b(?:this|the) {_SITE} (?:has been|was|is) (?:seized|taken down by|shut down by)",
    rf"\bseized by {_AGENCY}",
    r"\b(?:domain|site|server|website) seizure",
    r"\bseized (?:pursuant to|in accordance with|as part of|under) ",
    r"\bseizure warrant\b",
    rf"\btaken down by {_AGENCY}",
    # German
    r"\b(?:diese|die) (?:seite|plattform|webseite|website|domain|internetseite|handelsplattform)"
    r" (?:wurde|ist) (?:durch |von )?(?:\w+ ){0,4}beschlagnahmt",
    r"\bbeschlagnahmt durch\b",
    # French
    r"\b(?:ce|le) (?:site|domaine|nom de domaine|service|forum|marché) a été (?:saisi|fermé "
    r"par)",
    r"\bsaisi (?:par|sur (?:ordre|décision)) (?:la |le |les )?(?:justice|police|gendarmerie|"
    r"douane|autorités|parquet|juge)",
    # Spanish, Italian, Dutch, Portuguese
    r"\b(?:este|el) (?:dominio|sitio|sitio web) (?:ha sido|fue) (?:incautado|intervenido|"
    r"bloqueado por)",
    r"\b(?:sito|dominio|portale) (?:è stato |e' stato )?(?:posto sotto |sottoposto a )?sequestr",
    r"\bin beslag genomen\b",
    r"\b(?:este|o) (?:domínio|site) (?:foi )?(?:apreendido|bloqueado por)",
]

_REMOVED = re.compile("|".join(f"(?:{p})" for p in REMOVED))
_SEIZED = re.compile("|".join(f"(?:{p})" for p in SEIZED))
_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"\s+")
_ENTITIES = {"&nbsp;": " ", "&amp;": "&", "&#39;": "'", "&apos;": "'", "&quot;": '"'}
# A notice is near the top; scanning megabytes of page text for it would slow a recheck.
MAX_TEXT = 256 * 1024


@dataclass(frozen=True)
class Notice:
    kind: str  # "removed" or "seized"
    phrase: str  # what matched, for the record


def visible_text(html: str) -> str:
    """The page's words, case-folded, on one line (tags, scripts and styles dropped)."""
    text = _TAGS.sub(" ", html[: MAX_TEXT * 4])
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    text = unicodedata.normalize("NFC", text).casefold()
    return _SPACE.sub(" ", text)[:MAX_TEXT]


def find_notice(html: str) -> Notice | None:
    """A seizure banner (checked first: it replaces every page) or a removal notice."""
    text = visible_text(html)
    for kind, pattern in (("seized", _SEIZED), ("removed", _REMOVED)):
        found = pattern.search(text)
        if found:
            return Notice(kind, found.group(0).strip())
    return None
