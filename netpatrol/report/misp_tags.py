"""The MISP tags of a report's event and listings (netpatrol's own machine tags, the MISP
``dark-web`` and ``action-taken`` taxonomies) and the event's threat level."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pymisp import MISPEvent

from netpatrol.report.data import Finding, ReferralSummary

TOPICS = {
    "drugs": 'dark-web:topic="drugs-narcotics"',
    "medicine": 'dark-web:topic="drugs-narcotics"',
    "weapons": 'dark-web:topic="weapons"',
}
THREAT = {"drugs": 1, "medicine": 1, "weapons": 1, "wildlife": 2, "counterfeit": 3}
INFORMED = {
    "host": "action-taken:informed ISP/Hosting Service Provider",
    "registrar": "action-taken:informed Registrar",
}


def tag(namespace: str, predicate: str, value: str) -> str:
    # A machine tag's value is quoted; a quote inside would end it early.
    return f'{namespace}:{predicate}="{value.replace(chr(34), chr(39))}"'


def threat_level(findings: Iterable[Finding]) -> int:
    """1 (high) to 3 (low) by the worst category; 4 (undefined) with no finding."""
    levels = [THREAT.get(f.category, 2) for f in findings]
    return min(levels) if levels else 4


def finding_tags(finding: Finding, referrals: Mapping[int, ReferralSummary]) -> list[str]:
    """The tags of a listing's url attribute: category, topic and actions taken."""
    tags = [tag("netpatrol", "category", finding.category)]
    if finding.category in TOPICS:
        tags.append(TOPICS[finding.category])
    if finding.status in ("removed", "seized"):
        tags.append(tag("netpatrol", "action", finding.status))
    if finding.status == "seized":
        tags.append('dark-web:structure="police-notice"')
    if finding.referrals:
        tags.append(tag("netpatrol", "action", "referred"))
    for referral_id in finding.referrals:
        referral = referrals.get(referral_id)
        if referral and referral.recipient_kind in INFORMED:
            tags.append(INFORMED[referral.recipient_kind])
    return list(dict.fromkeys(tags))


def tag_event(event: MISPEvent, findings: Iterable[Finding]) -> None:
    """The event's tags: its motivation, then each category found and its topic."""
    event.add_tag('dark-web:motivation="marketplace-for-sale"')
    for category in sorted({f.category for f in findings}):
        event.add_tag(tag("netpatrol", "category", category))
        if category in TOPICS:
            event.add_tag(TOPICS[category])
