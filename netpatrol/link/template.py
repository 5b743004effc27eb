"""Site templates: a structural fingerprint of a page's HTML.

The fingerprint is the set of tag paths of the page (``html/body/div.card/span.price``:
each element with its parents up to ``DEPTH`` levels, and its first class name), which
is what a shop kit or a cloned site keeps when its texts, prices and images change.
Sites whose fingerprints are near-duplicates (MinHash, ``netpatrol.link.neardup``) share
a template; a template shared by very many sites (a CMS's default theme) is a hub.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

DEPTH = 4
# A page with fewer distinct paths (an error page, a redirect) says nothing of its template.
MIN_PATHS = 20
_SKIP = {"-text", "-comment", "_text", "_comment", "script", "style", "noscript", "br"}


def template_shingles(html: bytes | str) -> set[bytes]:
    """The tag paths of a page; empty when the page is too small to tell a template."""
    tree = LexborHTMLParser(html if isinstance(html, str) else html.decode("utf-8", "replace"))
    root = tree.root
    if root is None:
        return set()
    paths: set[bytes] = set()
    _walk(root, (), paths)
    return paths if len(paths) >= MIN_PATHS else set()


def _walk(node: LexborNode, parents: tuple[str, ...], paths: set[bytes]) -> None:
    # Iterative over siblings, recursive over depth (HTML nesting is shallow enough).
    child = node.child
    while child is not None:
        tag = child.tag
        if tag and tag not in _SKIP and not tag.startswith(("#", "-")):
            label = _label(child, tag)
            path = (*parents, label)[-DEPTH:]
            paths.add("/".join(path).encode())
            _walk(child, path, paths)
        child = child.next


def _label(node: LexborNode, tag: str) -> str:
    classes = (node.attributes.get("class") or "").split()
    return f"{tag}.{classes[0]}" if classes else tag
