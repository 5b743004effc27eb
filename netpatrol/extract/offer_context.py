"""What on a page is not the offer's own: where a seller's name or a place found there
belongs to someone else (a reviewer, the logged-in user, another product's card)."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from netpatrol.extract.dom import element_markers
from netpatrol.extract.furniture import Verdicts, in_furniture

# Form controls: a select's options, a login field, a button's action.
CONTROL_TAGS = frozenset({"select", "option", "optgroup", "input", "textarea", "button", "label"})
# What stands around buyers' words: reviews, comments, questions and answers, and the
# review widgets shops embed (Bazaarvoice "bv-", Yotpo, Judge.me "jdgm", Trustpilot, ...).
_NOT_THE_OFFERS = re.compile(
    r"(?<!p)review|comment|testimonial|rezension|bewertung|recensione|rese[ñn]a|avalia[cç]|"
    r"recenz|hodnocen|opinion|opinie|(?<![a-z])avis(?![a-z])|question|(?<![a-z])faq|"
    r"(?<![a-z])bv-|yotpo|jdgm|stamped|okendo|trustpilot|feefo|reevoo"
)
_SEARCH = re.compile(r"search|recherche|suche|busca|ricerca|zoek|szukaj|hledat")
_TOP = frozenset({"body", "html", "#document"})


class OfferContext:
    """Per walk: which ancestors stand in what is not the offer's (each judged once)."""

    def __init__(self, root: LexborNode, page: bool) -> None:
        self.root_id = root.mem_id
        self.page = page
        self.outside: dict[int, bool] = {}
        self.furniture: Verdicts = {}

    def excluded(self, node: LexborNode, key: bool = False) -> bool:
        """``key``: the element labels a value ("<label>Vendor</label>"); a control's tag
        does not exclude it."""
        if (node.tag in CONTROL_TAGS and not key) or _not_the_offers(node):
            return True
        if self.page and in_furniture(node, self.furniture):
            return True
        return self._inside_excluded(node)

    def _inside_excluded(self, node: LexborNode) -> bool:
        chain: list[int] = []
        current = node.parent
        verdict = False
        while current is not None and node.mem_id != self.root_id and current.tag not in _TOP:
            known = self.outside.get(current.mem_id)
            if known is not None:
                verdict = known
                break
            chain.append(current.mem_id)
            if _not_the_offers(current) or (self.page and _search_form(current)):
                verdict = True
                break
            if current.mem_id == self.root_id:
                break
            current = current.parent
        for mem_id in chain:
            self.outside[mem_id] = verdict
        return verdict


def _not_the_offers(node: LexborNode) -> bool:
    markers = element_markers(node)
    if node.attributes.get("itemprop") == "review":
        return True
    return bool(markers) and _NOT_THE_OFFERS.search(markers) is not None


def _search_form(node: LexborNode) -> bool:
    if node.tag == "search" or node.attributes.get("role") == "search":
        return True
    return node.tag == "form" and _SEARCH.search(element_markers(node)) is not None
