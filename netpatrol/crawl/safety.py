"""Refuse private, loopback, link-local and cloud-metadata addresses.

A crawl starts from URLs that someone else may have chosen (a seed list, a link on a
criminal's page, a redirect): without this check it could be made to read an intranet
or a cloud provider's metadata service (server-side request forgery). Hosts are checked
after DNS resolution, on every request including each redirect (Scrapy sends redirects
back through the downloader middlewares), and the address actually connected to is
checked again on the response, which defeats DNS rebinding between the two.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
from urllib.parse import urlsplit

ALLOW_ENV = "NETPATROL_ALLOW_PRIVATE_NETWORKS"

# Metadata services that sit on public-looking or shared addresses, beside 169.254.169.254
# (AWS, GCP, Azure; link-local anyway): Alibaba, Oracle, AWS over IPv6.
METADATA = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("100.100.100.200"),
    ipaddress.ip_address("192.0.0.192"),
    ipaddress.ip_address("fd00:ec2::254"),
}
_CARRIER_NAT = ipaddress.ip_network("100.64.0.0/10")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedAddress(Exception):
    """A request to an address the crawl may not reach."""


def allow_private_from_env(environ: dict[str, str] | None = None) -> bool:
    value = (environ if environ is not None else os.environ).get(ALLOW_ENV, "")
    return value.strip().lower() in {"1", "true", "yes", "on"}


def why_refused(address: IPAddress) -> str | None:
    """Why an address may not be crawled, or None when it is public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address in METADATA:
        return "cloud metadata service"
    if address.is_loopback:
        return "loopback address"
    if address.is_link_local:
        return "link-local address"
    if address.is_private or address in _CARRIER_NAT:
        return "private address"
    if address.is_multicast or address.is_unspecified or address.is_reserved:
        return "reserved address"
    return None


def check_address(address: IPAddress, host: str) -> None:
    reason = why_refused(address)
    if reason is not None:
        raise RefusedAddress(
            f"{host} is {address}, a {reason}: refused (set {ALLOW_ENV}=1 to allow "
            "private networks)"
        )


async def check_url(url: str) -> None:
    """Resolve the URL's host and refuse it if any of its addresses is not public."""
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        return
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        check_address(literal, host)
        return
    if host.endswith(".onion"):
        return  # reached only through the Tor proxy, which resolves it itself
    port = parts.port or (443 if parts.scheme == "https" else 80)
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return  # unresolvable: the download fails with a DNS error, counted as such
    # Every address: the connection may go to any of them.
    for info in infos:
        check_address(ipaddress.ip_address(info[4][0]), host)
