"""What marsad may fetch: the URL and address policy, pure (no Scrapy, no I/O).

Every URL marsad fetches comes from pages it does not control (feeds, sitemaps, section pages,
redirects). These functions say whether a URL may be tracked at all (`fetchable`), whether an address a
host resolves to may be contacted (`address_problem`), and which hosts belong to a site (`site_domains`,
`same_site`), so that a redirect cannot carry a fetch to another site or into the operator's network.
Each returns a short reason instead of raising, so one bad link is one refused link with its reason,
never the end of a batch. The Scrapy side (crawler/middlewares.py) and discovery call them.
"""
from __future__ import annotations

import ipaddress
import re
from typing import Iterable
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2048                      # longer "URLs" are data or attacks, not article addresses
SCHEMES = ("http", "https")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_HOST_CHARS = re.compile(r"^[a-z0-9._-]+$")   # after IDNA encoding; '_' occurs in real subdomains


def fetchable(url: str) -> str | None:
    """None when `url` may be tracked and fetched, else a short reason.

    >>> fetchable("https://example.com/a") is None
    True
    >>> fetchable("javascript:void(0)")
    'not an http(s) URL: javascript:'
    """
    if not isinstance(url, str) or not url:
        return "empty URL"
    if len(url) > MAX_URL_LENGTH:
        return f"URL longer than {MAX_URL_LENGTH} characters"
    if _CONTROL.search(url):
        return "control character in the URL"
    try:
        parts = urlsplit(url)
    except ValueError as e:                  # e.g. an unbalanced '[' in the host
        return f"unreadable URL ({e})"
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        return f"not an http(s) URL: {scheme}:" if scheme else "not an http(s) URL: no scheme"
    if "\\" in parts.netloc:
        return "backslash in the host part"
    if "@" in parts.netloc:
        return "user name or password in the URL"
    host = parts.hostname
    if not host:
        return "no host"
    try:
        parts.port
    except ValueError:
        return "bad port"
    return _host_problem(host)


def _host_problem(host: str) -> str | None:
    if ":" in host:                          # an IPv6 literal (urlsplit removed the brackets)
        try:
            ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return f"bad host: {host}"
        return None
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return f"bad host: {host}"
    if not _HOST_CHARS.match(ascii_host) or ".." in ascii_host:
        return f"bad host: {host}"
    return None


def _networks(allowed: Iterable) -> list:
    return [n if isinstance(n, (ipaddress.IPv4Network, ipaddress.IPv6Network)) else
            ipaddress.ip_network(str(n).strip(), strict=False) for n in allowed or ()]


def parse_networks(allowed: Iterable) -> list:
    """CIDR or single-address strings as networks; raises ValueError naming the bad entry."""
    out = []
    for n in allowed or ():
        try:
            out.extend(_networks([n]))
        except ValueError:
            raise ValueError(f"{n!r} is not an IP address or CIDR network") from None
    return out


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")

# Checked in this order, so an address gets the most telling name (127.0.0.1 is loopback, not "private").
_KINDS = (
    ("is_unspecified", "an unspecified address"),
    ("is_loopback", "a loopback address"),
    ("is_link_local", "a link-local address"),
    ("is_multicast", "a multicast address"),
    ("is_private", "a private address"),
    ("is_reserved", "a reserved address"),
)


def address_problem(ip: str, allow_private: bool = False, allowed_networks: Iterable = ()) -> str | None:
    """None when marsad may connect to `ip`, else what kind of address it is ("a loopback address").

    Refused unless `allow_private` or the address is inside one of `allowed_networks`: loopback,
    private, link-local, multicast, reserved, unspecified and other non-global addresses, also written
    as IPv4-mapped IPv6 (::ffff:127.0.0.1), since those reach the operator's own machine or network.

    >>> address_problem("127.0.0.1")
    'a loopback address'
    >>> address_problem("127.0.0.2", allowed_networks=["127.0.0.2/32"]) is None
    True
    """
    try:
        addr = ipaddress.ip_address(str(ip).split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            addr = addr.ipv4_mapped
        elif addr in _NAT64:                 # 64:ff9b::7f00:1 reaches 127.0.0.1 through a NAT64 gateway
            addr = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
    nets = _networks(allowed_networks)
    if any(addr.version == n.version and addr in n for n in nets):
        return None
    if allow_private:
        return None
    for attr, name in _KINDS:
        if getattr(addr, attr):
            return name
    if not addr.is_global:                   # e.g. 100.64.0.0/10 (carrier-grade NAT), 6to4 relays
        return "a non-public address"
    return None


def host_of(url: str) -> str | None:
    """The URL's host, lower case, without a trailing dot; None when it has none."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.rstrip(".").lower() if host else None


def _bare(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    return host[4:] if host.startswith("www.") else host


def site_domains(site: dict) -> set[str]:
    """The hosts that belong to a site: those of its feeds, sitemaps and sections, plus site["domains"]
    (bare hosts such as "example.com"; a URL is accepted too)."""
    hosts = set()
    for key in ("feeds", "sitemaps", "sections"):
        for url in site.get(key) or ():
            if (h := host_of(url)):
                hosts.add(h)
    for d in site.get("domains") or ():
        d = str(d).strip()
        h = host_of(d) if "://" in d else d.rstrip(".").lower()
        if h:
            hosts.add(h)
    return hosts


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def same_site(host: str | None, domains: Iterable[str]) -> bool:
    """True when `host` is one of `domains` or a subdomain of one; "www." is ignored on both sides, so
    example.com, www.example.com and news.example.com are one site. IP addresses match only exactly."""
    if not host:
        return False
    h = _bare(host)
    for d in domains:
        if not d:
            continue
        d = _bare(d)
        if h == d or (not _is_ip(h) and not _is_ip(d) and h.endswith("." + d)):
            return True
    return False
