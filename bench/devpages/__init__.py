"""marsad's extraction development pages (bench/devpages/pages, truth.json; written by build.py).

Scored per set, language and half: title, byline (the set of names), published and updated stamps to
the minute in UTC, text that must be in the body and text that must not. Sets and their halves:
  dev      build.py's 60 pages, split in halves by bench.extraction.half on the page id
  fresh1   fresh.py's 20 pages in 10 other markups: held out once, then its misses fixed ("seen")
  fresh2   fresh2.py's 20 pages in 10 markups of neither: held out whole, untouched ("heldout")
Tune on the dev set's "tune" half; "heldout" is reported untouched.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from detector.normalize import loose

HERE = Path(__file__).resolve().parent
KEYS = ("title", "byline", "published", "updated", "include", "exclude")
# Sets scored whole, and what their one half is called: a batch whose misses were fixed is "seen".
WHOLE_SETS = {"fresh1": "seen", "fresh2": "heldout"}


def load() -> list[dict]:
    return json.loads((HERE / "truth.json").read_text(encoding="utf-8"))


def html_of(row: dict) -> bytes:
    return (HERE / "pages" / f"{row['id']}.html").read_bytes()


def names(byline: str | None) -> set[str]:
    """The names in a byline, whatever joins them (", ", " and ", " و")."""
    if not byline:
        return set()
    parts = re.split(r"\s*,\s*|\s+and\s+|\s+&\s+|\s+و(?=\S)|،\s*", byline)
    return {loose(p) for p in parts if p.strip()}


def minute(iso: str | None) -> str | None:
    return iso[:16] if iso and len(iso) >= 16 else iso


def score_devpages() -> dict:
    from crawler.extract import extract

    from ..extraction import half

    rows: dict = defaultdict(lambda: {k: [0, 0] for k in KEYS} | {"pages": 0})
    wrong = []
    for t in load():
        a = extract(html_of(t), url=t["url"], fetched_at=t["fetched_at"])
        dset = t.get("set", "dev")
        key = (dset, t["lang"], half(t["id"]) if dset == "dev" else WHOLE_SETS.get(dset, "heldout"))
        row = rows[key]
        row["pages"] += 1
        text = loose(a.text)
        checks = {
            "title": loose(a.title or "") == loose(t["title"]),
            "byline": names(a.byline) == {loose(n) for n in t["authors"]},
            "published": minute(a.published_at) == minute(t["published"]),
            "updated": minute(a.updated_at) == minute(t["updated"]),
        }
        for k, ok in checks.items():
            row[k][0] += ok
            row[k][1] += 1
            if not ok:
                got = {"title": a.title, "byline": a.byline, "published": a.published_at, "updated": a.updated_at}[k]
                wrong.append((key[2], t["id"], t["shape"], k, "want", t[{"byline": "authors"}.get(k, k)], "got", got))
        for s in t["include"]:
            ok = loose(s) in text
            row["include"][0] += ok
            row["include"][1] += 1
            if not ok:
                wrong.append((key[2], t["id"], t["shape"], "include", s[:50]))
        for s in t["exclude"]:
            ok = loose(s) not in text
            row["exclude"][0] += ok
            row["exclude"][1] += 1
            if not ok:
                wrong.append((key[2], t["id"], t["shape"], "exclude", s[:50]))
    return {"rows": {k: v for k, v in rows.items()}, "wrong": wrong}
