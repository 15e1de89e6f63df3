"""Each site profile against its fixture (tests/fixtures/sites/<profile>.html + .expect.toml).

Adding a site = a TOML profile in crawler/sites/ and a fixture pair here; this test picks it up.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from crawler.extract import all_profiles, extract, profile_for
from scheduler.demo_site import render_article

SITES = Path(__file__).resolve().parent / "fixtures" / "sites"


def fixture_html(key: str) -> bytes:
    if key == "arabicpost.net":
        return render_article("v2")
    return (SITES / f"{key}.html").read_bytes()


def test_every_profile_has_a_fixture():
    missing = [p.key for p in all_profiles() if not (SITES / f"{p.key}.expect.toml").exists()]
    assert missing == []


@pytest.mark.parametrize("key", [p.key for p in all_profiles()])
def test_profile_reads_its_fixture(key):
    want = tomllib.loads((SITES / f"{key}.expect.toml").read_text(encoding="utf-8"))
    assert profile_for(want["url"]).key == key
    a = extract(fixture_html(key), url=want["url"])
    assert a.title == want["title"]
    assert a.published_at == want["published_at"]
    assert a.updated_at == want.get("updated_at", a.updated_at)
    if "byline" in want:
        assert a.byline == want["byline"]
    for text in want["contains"]:
        assert text in a.text
    for text in want["absent"]:
        assert text not in a.text, f"{text!r} should not be in the article text"
    assert sorted({(f.measure, f.value) for f in a.figures}) == sorted(tuple(f) for f in want["figures"])
