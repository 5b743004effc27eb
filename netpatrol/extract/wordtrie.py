"""A regex alternation of words with their shared prefixes factored out.

``one|once|onze`` becomes ``on(?:ce|ze|e)``-like: the regex engine enters one branch per
letter instead of every word at every position of a text, which under ``re.IGNORECASE``
(where a branch cannot be skipped by its first character) is most of a pattern's cost.

It matches what the plain alternation matches, in the same order where order matters:
two words can both match at one position only when one is a prefix of the other, and the
longer is tried first, as in an alternation sorted longest first.
"""

from __future__ import annotations

import re


def word_trie(words: list[str]) -> str:
    """A non-capturing pattern for ``words`` (at least one, none empty)."""
    heads: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        heads.setdefault(word[0], []).append(word[1:])
    branches = [re.escape(head) + _tails(tails) for head, tails in heads.items()]
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"


def _tails(tails: list[str]) -> str:
    longer = [tail for tail in tails if tail]
    if not longer:
        return ""
    # Greedy "?": the longer words first, the word that ends here last.
    return f"(?:{word_trie(longer)})?" if "" in tails else word_trie(longer)
