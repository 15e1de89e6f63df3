"""The plugin's pages a mail links to, built from `[serve] public_url` (where `marsad serve` is reached).

One place for the URL shapes the Datasette plugin answers (storage/datasette_plugin.py): the front page
`/-/marsad/` and an article's page `/-/marsad/article/ID?from=N&to=M` at the version pair a mail reports.
"""
from __future__ import annotations

from urllib.parse import urlencode

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8001"


def front_page(public_url: str | None) -> str:
    return f"{(public_url or DEFAULT_PUBLIC_URL).rstrip('/')}/-/marsad/"


def article_page(public_url: str | None, article_id: int, old_n: int | None = None, new_n: int | None = None) -> str:
    """The article's page; at the pair old_n → new_n when both are known (a take-down has no pair), at
    version new_n alone when only it is (a take-down's last good version)."""
    url = f"{front_page(public_url)}article/{int(article_id)}"
    if old_n and new_n:
        url += "?" + urlencode({"from": int(old_n), "to": int(new_n)})
    elif new_n:
        url += "?" + urlencode({"to": int(new_n)})
    return url
