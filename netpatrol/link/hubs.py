"""Hubs: identifiers that would join unrelated sellers (a platform's support address, a
payment processor's generic address, a marketplace's own analytics id, a link to a
social network). They are recognised two ways and discounted, never used to join:

- the shipped, editable list ``netpatrol/knowledge/hubs.tsv`` (kind, value, glob
  pattern or, for addresses, a CIDR prefix such as ``104.16.0.0/13``; why); users add
  their own file in the same format;
- frequency: held by more principals than ``LinkSettings.max_holders``, or by a large
  share of one platform's sellers (``platform_share``).
"""

from __future__ import annotations

import fnmatch
import ipaddress
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from netpatrol.link.facts import LinkSettings

SHIPPED = Path(__file__).resolve().parents[1] / "knowledge" / "hubs.tsv"
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class HubRule:
    kind: str  # an identifier kind, or "*" for every kind
    pattern: str  # exact value or glob (``support@*``), compared case-insensitively
    why: str


@dataclass(frozen=True)
class Hub:
    """An identifier discounted as a hub, and why: shown in the output."""

    kind: str
    value: str
    why: str
    holders: int  # principals (accounts, shops) that show it


def load_hub_rules(path: Path = SHIPPED) -> list[HubRule]:
    """Rules of a hub list: ``kind<TAB>pattern<TAB>why``; ``#`` starts a comment line."""
    rules = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3 or not parts[0].strip() or not parts[1].strip():
            raise ValueError(f"{path}:{number}: expected kind<TAB>pattern<TAB>why")
        rules.append(HubRule(parts[0].strip(), parts[1].strip(), parts[2].strip()))
    return rules


class HubList:
    """The listed hubs, matched by kind then exact value or glob."""

    def __init__(self, rules: Iterable[HubRule]) -> None:
        self._exact: dict[tuple[str, str], str] = {}
        self._globs: list[tuple[str, re.Pattern[str], str]] = []
        self._networks: list[tuple[str, IPNetwork, str]] = []
        for rule in rules:
            pattern = rule.pattern.casefold()
            network = _network(pattern)
            if network is not None:
                self._networks.append((rule.kind, network, rule.why))
            elif any(c in pattern for c in "*?["):
                self._globs.append((rule.kind, re.compile(fnmatch.translate(pattern)), rule.why))
            else:
                self._exact[(rule.kind, pattern)] = rule.why

    def why(self, kind: str, value: str) -> str | None:
        folded = value.casefold()
        found = self._exact.get((kind, folded)) or self._exact.get(("*", folded))
        if found:
            return f"listed: {found}"
        for rule_kind, pattern, why in self._globs:
            if rule_kind in (kind, "*") and pattern.match(folded):
                return f"listed: {why}"
        networks = [(n, why) for k, n, why in self._networks if k in (kind, "*")]
        if networks:
            try:
                address = ipaddress.ip_address(folded)
            except ValueError:
                return None
            for network, why in networks:
                if address.version == network.version and address in network:
                    return f"listed: {why} ({network})"
        return None


def _network(pattern: str) -> IPNetwork | None:
    """A CIDR prefix (``104.16.0.0/13``, ``2606:4700::/32``), else None."""
    if "/" not in pattern:
        return None
    try:
        return ipaddress.ip_network(pattern, strict=False)
    except ValueError:
        return None


class HubJudge:
    """Decides, for one identifier and the principals that show it, whether it is a hub."""

    def __init__(
        self, listed: HubList, settings: LinkSettings, sellers_per_platform: Counter[str]
    ) -> None:
        self.listed = listed
        self.settings = settings
        self.sellers_per_platform = sellers_per_platform

    def why(self, kind: str, value: str, holders: int, platforms: Counter[str]) -> str | None:
        """``platforms``: how many of the holders are sellers on each platform."""
        listed = self.listed.why(kind, value)
        if listed:
            return listed
        for platform, count in platforms.items():
            total = self.sellers_per_platform[platform]
            share = count / total if total else 0.0
            if total >= self.settings.platform_min and share >= self.settings.platform_share:
                return (
                    f"platform-wide: shown by {count} of the {total} sellers on {platform} "
                    f"({share:.0%}), the platform's own"
                )
        limit = self.settings.max_holders
        if holders > limit:
            return f"frequent: shown by {holders} accounts or shops (more than {limit})"
        return None
