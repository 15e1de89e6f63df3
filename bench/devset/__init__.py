"""The revision-pair development set: hand-labelled pairs of pages, rendered from small templates.

Pages are written in bench/devset/pairs.toml as stories (headline, paragraphs, byline, stamps) and, per
pair, a markup (markups.py), the edits that make the new side, the noise both sides carry (it differs
between the sides as between two fetches), and the changes an editor would list (`expect`, labelled by
hand). Each pair is fixed in the `tune` or the `heldout` half (stratified by change kind and language):
rules are tuned on `tune` only; `heldout` is reported untouched (`marsad bench detection`).
"""
from __future__ import annotations

import tomllib
from pathlib import Path

from .markups import MARKUPS, render

PAIRS = Path(__file__).resolve().parent / "pairs.toml"
STORIES = Path(__file__).resolve().parent / "stories.toml"
NOISE = ["related", "most_read", "counter", "tags", "newsletter", "read_also"]
SPLITS = ("tune", "heldout")
EDIT_KEYS = {"title", "byline", "published", "updated", "updated_rel", "fetched_at", "replace", "insert",
             "delete", "swap", "append", "paragraphs"}


class DevsetError(ValueError):
    """A pair of the development set is malformed (names an unknown story, markup or edit)."""


def _apply(page: dict, edits: dict, pair_id: str) -> dict:
    unknown = set(edits) - EDIT_KEYS
    if unknown:
        raise DevsetError(f"pair {pair_id}: unknown edit(s) {sorted(unknown)}")
    page = {**page, "paragraphs": list(edits.get("paragraphs", page["paragraphs"]))}
    for k in ("title", "byline", "published", "updated", "updated_rel", "fetched_at"):
        if k in edits:
            page[k] = edits[k] or None
    paras = page["paragraphs"]
    for old, new in edits.get("replace", ()):
        hits = [i for i, p in enumerate(paras) if old in p]
        if not hits:
            raise DevsetError(f"pair {pair_id}: {old!r} is in no paragraph")
        paras[hits[0]] = paras[hits[0]].replace(old, new, 1)
    for i, j in edits.get("swap", ()):
        paras[i], paras[j] = paras[j], paras[i]
    for i in sorted(edits.get("delete", ()), reverse=True):
        del paras[i]
    for i, text in edits.get("insert", ()):
        paras.insert(i, text)
    paras.extend(edits.get("append", ()))
    return page


def load(path: Path = PAIRS, split: str | None = None) -> list[dict]:
    """Every pair (or one half): id, lang, markup, split, kind, expect, alert (if given), and per side
    `html` (str) and `fetched_at`."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    stories, out = tomllib.loads(STORIES.read_text(encoding="utf-8"))["story"], []
    for p in data["pair"]:
        pid = p["id"]
        if p["story"] not in stories:
            raise DevsetError(f"pair {pid}: unknown story {p['story']!r}")
        if p["markup"] not in MARKUPS:
            raise DevsetError(f"pair {pid}: unknown markup {p['markup']!r}")
        if p.get("split") not in SPLITS:
            raise DevsetError(f"pair {pid}: split must be one of {SPLITS}")
        if split and p["split"] != split:
            continue
        base = {**stories[p["story"]], "noise": p.get("noise", NOISE)}
        base.setdefault("fetched_at", "2021-02-26T16:00:00Z")
        old = _apply({**base, "side": 0}, p.get("old", {}), pid)
        new = _apply({**old, "side": 1, "fetched_at": base["fetched_at"]}, p.get("new", {}), pid)
        if "fetched_at" not in p.get("new", {}):
            new["fetched_at"] = _later(old["fetched_at"])
        out.append({**{k: v for k, v in p.items() if k not in ("old", "new")}, "lang": old["lang"],
                    "old": {"html": render(p["markup"], old), "fetched_at": old["fetched_at"]},
                    "new": {"html": render(p["markup"], new), "fetched_at": new["fetched_at"]}})
    return out


def _later(iso: str) -> str:
    """The second fetch, an hour after the first unless the pair says otherwise."""
    from datetime import datetime, timedelta
    d = datetime.fromisoformat(iso.replace("Z", "+00:00")) + timedelta(hours=1)
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")
