"""JSON-LD, microdata and OpenGraph read from an already parsed page.

extruct reads the same three syntaxes, but re-parses every page with lxml: measured on the
Zyte product pages, that second parse alone cost three times a whole selectolax parse and
put extraction far outside its speed goal (docs/performance.md). These readers walk the
selectolax tree the page already has; a test checks they agree with extruct on real pages
(tests/test_extract_markup.py). Output follows extruct's ``uniform=True`` shapes, so the
offer reader does not care which produced it.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

_COMMENTS = re.compile(r"^\s*<!--|-->\s*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SPACES = re.compile(r"\s+")
# Where a microdata property's value is an attribute, not the text (HTML Living Standard).
_URL_ATTRIBUTE = {
    "a": "href",
    "area": "href",
    "link": "href",
    "audio": "src",
    "embed": "src",
    "iframe": "src",
    "img": "src",
    "source": "src",
    "track": "src",
    "video": "src",
    "object": "data",
}
_VALUE_ATTRIBUTE = {"meta": "content", "data": "value", "meter": "value", "time": "datetime"}
_OG_PREFIXES = ("og:", "product:")


def read_markup(tree: LexborHTMLParser, base_url: str | None = None) -> dict[str, list[Any]]:
    """{"json-ld": [...], "microdata": [...], "opengraph": [...]} of one page; the tree
    must still hold its scripts. Microdata links are made absolute against ``base_url``."""
    return {
        "json-ld": json_ld(tree),
        "microdata": microdata(tree, base_url),
        "opengraph": opengraph(tree),
    }


def json_ld(tree: LexborHTMLParser) -> list[Any]:
    """Every JSON-LD block that parses; a broken block is skipped, as a browser would."""
    items: list[Any] = []
    for script in tree.css("script[type]"):
        if (script.attributes.get("type") or "").strip().lower() != "application/ld+json":
            continue
        data = _loads(script.text(deep=True))
        if isinstance(data, list):
            items.extend(data)
        elif data is not None:
            items.append(data)
    return items


def _loads(text: str) -> Any:
    text = _COMMENTS.sub("", text.strip())
    for attempt in (text, _CONTROL.sub(" ", text)):
        try:
            return json.loads(attempt, strict=False)
        except ValueError:
            continue
    return None


def microdata(tree: LexborHTMLParser, base_url: str | None = None) -> list[dict[str, Any]]:
    """Top-level microdata items, nested items as values (one pass over the marked
    elements, which are few even on large pages)."""
    scopes: dict[int, dict[str, Any]] = {}
    top: list[dict[str, Any]] = []
    seen: set[int] = set()
    for node in tree.css("[itemscope], [itemprop]"):
        if node.mem_id in seen:  # lexbor yields an element once per selector it matches
            continue
        seen.add(node.mem_id)
        attributes = node.attributes
        item: dict[str, Any] | None = None
        if "itemscope" in attributes:
            item = _new_item(attributes.get("itemtype"))
            scopes[node.mem_id] = item
        prop = attributes.get("itemprop")
        owner = _owner(node, scopes)
        if prop and owner is not None:
            value: Any = item if item is not None else _property_value(node, base_url)
            for name in prop.split():
                _add(owner, name, value)
        elif item is not None:
            top.append(item)
    return top


def _new_item(itemtype: str | None) -> dict[str, Any]:
    types = (itemtype or "").split()
    item: dict[str, Any] = {}
    if types:
        item["@type"] = (
            _short_type(types[0]) if len(types) == 1 else [_short_type(t) for t in types]
        )
        item["@context"] = types[0].rsplit("/", 1)[0]
    return item


def _short_type(itemtype: str) -> str:
    return itemtype.rstrip("/").rsplit("/", 1)[-1]


def _owner(node: LexborNode, scopes: dict[int, dict[str, Any]]) -> dict[str, Any] | None:
    parent = node.parent
    while parent is not None:
        found = scopes.get(parent.mem_id)
        if found is not None:
            return found
        parent = parent.parent
    return None


def _property_value(node: LexborNode, base_url: str | None) -> str:
    tag = node.tag or ""
    attribute = _VALUE_ATTRIBUTE.get(tag) or _URL_ATTRIBUTE.get(tag)
    if attribute is not None:
        value = node.attributes.get(attribute)
        if value is not None and tag in _URL_ATTRIBUTE and base_url:
            return urljoin(base_url, value.strip())
        if value is not None:
            return value.strip()
        if tag in _VALUE_ATTRIBUTE and tag != "time":
            return ""
    if "content" in node.attributes:
        return (node.attributes.get("content") or "").strip()
    return _SPACES.sub(" ", node.text(deep=True)).strip()


def _add(item: dict[str, Any], name: str, value: Any) -> None:
    if name not in item:
        item[name] = value
    elif isinstance(item[name], list):
        item[name].append(value)
    else:
        item[name] = [item[name], value]


def opengraph(tree: LexborHTMLParser) -> list[dict[str, Any]]:
    """One object of the page's og:* and product:* properties (repeated ones as lists)."""
    found: dict[str, Any] = {}
    for meta in tree.css("meta[property]"):
        name = (meta.attributes.get("property") or "").strip().lower()
        content = meta.attributes.get("content")
        if name.startswith(_OG_PREFIXES) and content is not None and content.strip():
            _add(found, name, content.strip())
    return [found] if found else []
