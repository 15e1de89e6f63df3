"""Every real page of ../shared/corpora extracts without a crash (a clear ExtractionError is allowed)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from crawler.extract import ExtractionError, extract

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
pytestmark = pytest.mark.skipif(not (CORPORA / "load.py").exists(), reason="../shared/corpora is not beside this checkout")


def _pages():
    sys.path.insert(0, str(CORPORA))
    from load import iter_records, iter_revision_pairs
    pages = {}
    for corpus in ("aeb", "htmldate_mediacloud", "htmldate_realworld", "arabic"):
        for r in iter_records(corpus):
            pages.setdefault(r["html"], r["url"])
    for p in iter_revision_pairs():
        pages.setdefault(p["old_html"], None), pages.setdefault(p["new_html"], None)
    return pages


def test_no_crash_on_any_corpus_page():
    sys.path.insert(0, str(CORPORA))
    from load import read_html
    crashes = []
    for rel, url in _pages().items():
        try:
            a = extract(read_html(rel), url=url)
            assert isinstance(a.text, str)
        except ExtractionError:
            pass
        except Exception as e:
            crashes.append(f"{rel}: {e!r}")
    assert crashes == []


def test_labelled_arabic_pages_are_read_as_arabic():
    sys.path.insert(0, str(CORPORA))
    from load import iter_records, read_html
    langs = [extract(read_html(r["html"]), url=r["url"]).lang for r in iter_records("arabic") if r["lang"] == "ar"]
    assert langs and sum(lang == "ar" for lang in langs) >= len(langs) - 1


def test_no_alert_on_the_unchanged_body_revision_pairs():
    from bench.detection import corpus_negatives
    alerts, n = corpus_negatives(CORPORA)
    assert n == 96 and alerts == 0
