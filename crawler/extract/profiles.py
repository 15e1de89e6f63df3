"""Site profiles: one TOML file per outlet in crawler/sites/, with the selectors that read its pages.

A profile wins over the generic extractors wherever it names a selector. Adding an outlet is a TOML
file and a fixture, no code (README: "Adding a site").
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

SITES_DIR = Path(__file__).resolve().parent.parent / "sites"
SELECTOR_KEYS = ("title", "body", "published", "updated", "byline", "drop")


class ProfileError(ValueError):
    pass


@dataclass(frozen=True)
class Profile:
    name: str
    key: str                          # the file name without .toml, e.g. "arabicpost.net"
    domains: tuple[str, ...]
    lang: str | None = None
    timezone: str | None = None
    selectors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    feeds: tuple[str, ...] = ()
    article_pattern: str | None = None
    date_order: str | None = None     # "mdy" (American outlets) or "dmy": how its slash dates read

    def select(self, key: str) -> tuple[str, ...]:
        return self.selectors.get(key, ())


def _as_tuple(v) -> tuple[str, ...]:
    if v is None:
        return ()
    return (v,) if isinstance(v, str) else tuple(v)


def load_profile(path: Path) -> Profile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ProfileError(f"site profile {path.name}: {e}") from e
    sel = data.get("selectors", {})
    unknown = set(sel) - set(SELECTOR_KEYS)
    if unknown:
        raise ProfileError(f"site profile {path.name}: unknown selector key(s) {sorted(unknown)}")
    if data.get("date_order") not in (None, "mdy", "dmy"):
        raise ProfileError(f"site profile {path.name}: date_order must be \"mdy\" or \"dmy\"")
    if not data.get("domains"):
        raise ProfileError(f"site profile {path.name}: 'domains' is required")
    return Profile(name=data.get("name", path.stem), key=path.stem, domains=_as_tuple(data["domains"]),
                   lang=data.get("lang"), timezone=data.get("timezone"),
                   selectors={k: _as_tuple(v) for k, v in sel.items()},
                   feeds=_as_tuple(data.get("feeds")), article_pattern=data.get("article_pattern"),
                   date_order=data.get("date_order"))


@lru_cache(maxsize=1)
def all_profiles() -> tuple[Profile, ...]:
    return tuple(load_profile(p) for p in sorted(SITES_DIR.glob("*.toml")))


def profile_named(key: str) -> Profile:
    for p in all_profiles():
        if p.key == key:
            return p
    raise ProfileError(f"no site profile named {key!r} (known: {', '.join(p.key for p in all_profiles())})")


def profile_for(url: str | None) -> Profile | None:
    """The profile whose domain (or a parent domain, or a domain/path prefix) matches the URL."""
    if not url:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    target = host + parts.path
    best = None
    for p in all_profiles():
        for d in p.domains:
            d = d.lower()
            dom = d.split("/", 1)[0]
            if (host == dom or host.endswith("." + dom)) and ("/" not in d or target.startswith(d)
                                                                or target.startswith("www." + d)):
                if best is None or len(d) > len(best[1]):
                    best = (p, d)
    return best[0] if best else None
