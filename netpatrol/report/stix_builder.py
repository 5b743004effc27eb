"""The STIX 2.1 objects of a report's findings and networks, over their observables: each
finding's ``observed-data``, the ``indicator`` objects (merged by pattern), the ``related-to``
relationships and each network's ``grouping``. :mod:`netpatrol.report.stix` assembles them
into the bundle."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from stix2 import v21

from netpatrol.report.data import Finding, NetworkSummary, ReportData
from netpatrol.report.stix_ext import (
    FINDING_EXT,
    IDENTITY_ID,
    LINK_EXT,
    NETWORK_EXT,
    finding_properties,
    stable_id,
)
from netpatrol.report.stix_observables import INDICATED, Observables, escape, pattern

# A relationship from a listing's URL to what the page shows.
SHOWN = "shown on the listing page"


class Builder(Observables):
    def __init__(self, data: ReportData) -> None:
        super().__init__(data)
        self.data = data
        self.when = data.generated_at
        self.warnings: list[str] = []
        # pattern -> (valid_from, name, labels, confidence)
        self.indicators: dict[str, tuple[datetime, str, set[str], int]] = {}
        self.url_of_listing: dict[int, str] = {}
        self.based_on: dict[str, str] = {}  # URL pattern -> the observed-data it rests on

    def relate(
        self, source: str, target: str, description: str, extensions: dict[str, Any] | None = None
    ) -> str:
        key = f"{source}|related-to|{target}|{description}"
        return self.add(
            v21.Relationship(
                id=stable_id("relationship", key),
                created_by_ref=IDENTITY_ID,
                created=self.when,
                modified=self.when,
                relationship_type="related-to",
                source_ref=source,
                target_ref=target,
                description=description,
                **({"extensions": extensions} if extensions else {}),
            )
        )

    def indicate(
        self, pattern: str, seen: datetime, name: str, labels: Iterable[str], score: float
    ) -> None:
        old = self.indicators.get(pattern)
        confidence = round(score * 100)
        if old is None:
            self.indicators[pattern] = (seen, name, set(labels), confidence)
        else:
            self.indicators[pattern] = (
                min(old[0], seen),
                old[1],
                old[2] | set(labels),
                max(old[3], confidence),
            )

    # -- findings -----------------------------------------------------------------------

    def finding(self, finding: Finding) -> str | None:
        seen = finding.captured_at or self.when
        labels = [finding.category, *finding.labels]
        refs: list[str] = []
        url_id = self._listing_url(finding, seen, labels, refs)
        site_id = self._site(finding, seen, labels, refs, url_id)
        seller = self.seller(finding)
        if seller:
            refs.append(seller)
        self._identifiers(finding, seen, labels, refs, url_id or site_id)
        if not refs:
            self.warnings.append(
                f"STIX: finding {finding.listing_id} has no URL, site or identifier: "
                "no observable to attach it to"
            )
            return None
        observed = self.add(
            v21.ObservedData(
                id=stable_id("observed-data", f"{finding.listing_id}:{finding.capture_id}"),
                created_by_ref=IDENTITY_ID,
                created=self.when,
                modified=self.when,
                first_observed=seen,
                last_observed=seen,
                number_observed=1,
                object_refs=list(dict.fromkeys(refs)),
                extensions={FINDING_EXT: finding_properties(finding)},
            )
        )
        if finding.url:
            self.based_on[f"[url:value = '{escape(finding.url)}']"] = observed
        return observed

    def _listing_url(
        self, finding: Finding, seen: datetime, labels: list[str], refs: list[str]
    ) -> str | None:
        if not finding.url:
            return None
        url_id = self.add(v21.URL(value=finding.url))
        self.url_of_listing[finding.listing_id] = url_id
        refs.append(url_id)
        self.indicate(
            f"[url:value = '{escape(finding.url)}']",
            seen,
            finding.title or finding.url,
            labels,
            finding.score,
        )
        return url_id

    def _site(
        self,
        finding: Finding,
        seen: datetime,
        labels: list[str],
        refs: list[str],
        url_id: str | None,
    ) -> str | None:
        if not finding.site:
            return None
        site_id = self.domain(finding.site)
        refs.append(site_id)
        if not finding.platform:  # a marketplace's domain indicates nothing
            self.indicate(
                f"[domain-name:value = '{escape(finding.site)}']",
                seen,
                finding.site,
                labels,
                finding.score,
            )
        if url_id:
            self.relate(url_id, site_id, "the listing's site")
        return site_id

    def _identifiers(
        self,
        finding: Finding,
        seen: datetime,
        labels: list[str],
        refs: list[str],
        source: str | None,
    ) -> None:
        for kind, value in finding.identifiers:
            found = self.identifier(kind, value)
            if found is None:
                continue
            refs.append(found)
            if source and found != source:
                self.relate(source, found, f"{kind} {SHOWN}")
            if kind in INDICATED:
                matching = pattern(self.objects[found])
                if matching:
                    self.indicate(matching, seen, f"{kind} {value}", labels, finding.score)

    def materialize_indicators(self) -> None:
        for matching, (seen, name, labels, confidence) in sorted(self.indicators.items()):
            indicator = self.add(
                v21.Indicator(
                    id=stable_id("indicator", matching),
                    created_by_ref=IDENTITY_ID,
                    created=self.when,
                    modified=self.when,
                    name=name,
                    indicator_types=["malicious-activity"],
                    pattern=matching,
                    pattern_type="stix",
                    valid_from=seen,
                    labels=sorted(labels),
                    confidence=max(0, min(100, confidence)),
                )
            )
            observed = self.based_on.get(matching)
            if observed:
                self.add(
                    v21.Relationship(
                        id=stable_id("relationship", f"{indicator}|based-on|{observed}"),
                        created_by_ref=IDENTITY_ID,
                        created=self.when,
                        modified=self.when,
                        relationship_type="based-on",
                        source_ref=indicator,
                        target_ref=observed,
                    )
                )

    # -- networks -----------------------------------------------------------------------

    def member(self, member: str) -> str | None:
        kind, _, value = member.partition(":")
        if kind == "site":
            return self.domain(value)
        if kind == "seller":
            return self.network_seller(value)
        if kind == "listing" and value.isdigit():
            return self.url_of_listing.get(int(value))
        return self.identifier(kind, value) if value else None

    def network(self, network: NetworkSummary) -> None:
        members: dict[str, str] = {}
        for member in network.members:
            found = self.member(member)
            if found is None:
                self.warnings.append(
                    f"STIX: member {member!r} of network {network.name!r} has no STIX object"
                )
            else:
                members[member] = found
        refs = list(dict.fromkeys(members.values()))
        refs += self._edges(network, members)
        if not refs:
            self.warnings.append(f"STIX: network {network.name!r} has no member to group")
            return
        self.add(
            v21.Grouping(
                id=stable_id("grouping", f"network:{network.name}"),
                created_by_ref=IDENTITY_ID,
                created=self.when,
                modified=self.when,
                name=network.name,
                description=f"{len(network.members)} sites / accounts linked by shared "
                f"evidence; {network.listings} listings",
                context="suspicious-activity",
                object_refs=list(dict.fromkeys(refs)),
                extensions={NETWORK_EXT: {"score": network.score, "listings": network.listings}},
            )
        )

    def _edges(self, network: NetworkSummary, members: dict[str, str]) -> list[str]:
        """The network's edges as related-to relationships, by id."""
        refs: list[str] = []
        for edge in network.edges:
            a = members.get(edge.a) or self.member(edge.a)
            b = members.get(edge.b) or self.member(edge.b)
            if a is None or b is None or a == b:
                self.warnings.append(
                    f"STIX: edge {edge.a} - {edge.b} ({edge.kind}) of network "
                    f"{network.name!r} has no STIX objects at both ends"
                )
                continue
            ext = {"kind": edge.kind, "strength": edge.strength, "network": network.name}
            refs.append(self.relate(a, b, f"shared {edge.kind} ({network.name})", {LINK_EXT: ext}))
        return refs
