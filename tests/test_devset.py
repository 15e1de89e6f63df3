"""The revision-pair development set is what the issue asks for: enough pairs, markups, languages and
kinds, split by pair into two fixed halves; and the loader refuses malformed pairs with a clear error."""
from __future__ import annotations

from collections import Counter

import pytest

from bench.devset import DevsetError, load
from bench.devset.markups import MARKUPS

CHANGE_KINDS = {"title_changed", "updated_time_changed", "published_time_changed", "figure_changed",
                "sentence_added", "sentence_removed", "sentence_edited", "sentence_moved", "correction_added",
                "byline_changed", "cosmetic"}


@pytest.fixture(scope="module")
def pairs():
    return load()


def test_size_markups_languages_and_kinds(pairs):
    assert len(pairs) >= 60 and len({p["id"] for p in pairs}) == len(pairs)
    assert {p["markup"] for p in pairs} == set(MARKUPS) and len(MARKUPS) >= 8
    assert {p["lang"] for p in pairs} == {"ar", "en"}
    assert CHANGE_KINDS <= {e["kind"] for p in pairs for e in p["expect"]}
    assert {"noise", "relative_stamp", "typo"} <= {p["kind"] for p in pairs}


def test_halves_are_fixed_and_stratified_by_kind_and_language(pairs):
    strata = Counter((p["kind"], p["lang"], p["split"]) for p in pairs)
    for kind, lang in {(p["kind"], p["lang"]) for p in pairs}:
        tune, held = strata[(kind, lang, "tune")], strata[(kind, lang, "heldout")]
        assert abs(tune - held) <= 1 or (kind, lang) == ("noise", "en"), (kind, lang, tune, held)
    assert {p["id"] for p in load(split="tune")} | {p["id"] for p in load(split="heldout")} == {p["id"] for p in pairs}


def test_noise_differs_between_the_two_sides_of_a_noise_pair(pairs):
    p = next(p for p in pairs if p["kind"] == "noise" and p["markup"] == "wordpress")
    assert p["old"]["html"] != p["new"]["html"]
    assert "1,234" in p["old"]["html"] and "1,611" in p["new"]["html"]


def test_a_malformed_pair_is_refused_with_its_id(tmp_path):
    bad = tmp_path / "pairs.toml"
    bad.write_text('[[pair]]\nid = "x1"\nstory = "ar-strike"\nmarkup = "wordpress"\nsplit = "tune"\n'
                   'kind = "noise"\nnew = {replace = [["not in the text", "y"]]}\nexpect = []\n', encoding="utf-8")
    with pytest.raises(DevsetError, match="x1"):
        load(bad)
    bad.write_text('[[pair]]\nid = "x2"\nstory = "ar-strike"\nmarkup = "gopher"\nsplit = "tune"\nexpect = []\n',
                   encoding="utf-8")
    with pytest.raises(DevsetError, match="unknown markup"):
        load(bad)
