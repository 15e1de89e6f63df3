"""The fast paths of detection and extraction give exactly what the plain code gives.

Each speed-up (one translation table instead of three, possessive regexes, a backward scan instead of a
prefix search, phrase indexes, a pre-filter, caches, XPath and CSS compiled once, work done once per
element) is checked here against a plain reference written out in the test: the code as it was before it
was made fast. Behaviour only: how fast it is lives in `python -m bench.profile_pipeline`.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

from hypothesis import given, settings, strategies as st

from crawler.extract import all_profiles
from crawler.extract import article as A
from crawler.extract import dates as D
from crawler.extract import meta_keys as K
from crawler.extract import stamps as S
from crawler.extract.date_words import LABELS, TIMEZONES
from detector import compare, figure_cues as cues
from detector import figures as F
from detector.align import sentence_key, sentences_of
from detector.caches import cache_info, clear_caches
from detector.normalize import (DIGITS, LETTER_VARIANTS, PUNCT_VARIANTS, TASHKEEL, TATWEEL, ascii_digits,
                                clean_space, loose, normalize)
from detector.sentences import _word_before, split_sentences
from detector.volatile import COUNTERS, NUMBER, RELATIVE_TIME, _pattern, mask

from .test_profiles import fixture_html

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"

# --- the plain reference code ---------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]")
_INNER_MARKS = re.compile(r"(?<=[^\W\d_])[.'](?=[^\W\d_])")


def ref_normalize(text):
    t = unicodedata.normalize("NFKC", text or "")
    t = _INVISIBLE.sub("", t)
    t = TASHKEEL.sub("", t).replace(TATWEEL, "")
    t = t.translate(LETTER_VARIANTS).translate(PUNCT_VARIANTS).translate(DIGITS)
    return _SPACE.sub(" ", t).strip().casefold()


def ref_loose(text):
    return _SPACE.sub(" ", _PUNCT.sub(" ", _INNER_MARKS.sub("", ref_normalize(text)))).strip()


def ref_mask_pattern():
    parts = [normalize(p.replace("{n}", "NUMBERSLOT")).replace("numberslot", NUMBER) for p in RELATIVE_TIME + COUNTERS]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


def ref_word_before(text, end):
    m = re.search(r"([\w.]+)$", text[:end])
    return m.group(1) if m else None


def ref_phrase_ends_at(tokens, end, phrase):
    start = end - len(phrase) + 1
    if start < 0:
        return False
    return all(set(F._forms(tokens[start + k])) & set(F._forms(phrase[k])) for k in range(len(phrase)))


def ref_label_of(text):
    t = normalize(text)
    labels = D._tables()[3]
    best = None
    for kind in ("updated", "published"):
        for label in labels[kind]:
            m = re.search(rf"(?<!\w){re.escape(label)}(?!\w)", t)
            if m and (best is None or m.start() < best[1]):
                best = (kind, m.start())
    return best[0] if best else None


# Text that exercises every table: Arabic letter variants, tashkeel, tatweel, Eastern digits, quotes,
# dashes, invisible marks, Unicode spaces, compatibility forms, astral characters.
ALPHABET = ("abcXYZ _.,'!?;:-\"()" "أإآٱىیئؤةکابتثجحخدذرزسشصضطظعغفقكلمنهوي" "ًٌٍَُِّْـ" "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹0123456789"
            "“”„«»‘’‚–—−،؛؟٫٬…" "\u200b\u200c\u200f\u202a\u2066\ufeff\u00ad" " \t\n\u00a0\u2003\u3000\x1c\x85"
            "ßİﬁ²①ǰＡ" "\U0001f600\U00010a40")
texts = st.text(alphabet=ALPHABET, max_size=80)


# --- normalize.py -----------------------------------------------------------------------------------------

@settings(max_examples=400, deadline=None)
@given(texts)
def test_normalize_and_loose_equal_the_plain_code(text):
    assert normalize(text) == ref_normalize(text)
    assert loose(text) == ref_loose(text)
    assert clean_space(text) == _SPACE.sub(" ", _INVISIBLE.sub("", text)).strip()
    assert ascii_digits(text) == text.translate(DIGITS)


def test_split_whitespace_is_the_regex_whitespace():
    """_squeeze relies on str.split() and the regex \\s agreeing on every code point."""
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    assert {c for c in every if c.isspace()} == set(re.findall(r"\s", every))


# --- volatile.py, sentences.py ------------------------------------------------------------------------

MASK_WORDS = ("منذ قبل ساعة ساعتين دقائق يوم ايام اسبوع شهر ago sec min minutes hour hours day days week an a one "
              "just now moments الان للتو views view reads comments shares likes replies مشاهدة مشاهدات تعليق "
              "تعليقات اعجاب : 12 1,234 3.5 4k 1.2.3 x").split()
mask_texts = st.lists(st.tuples(st.sampled_from(MASK_WORDS), st.sampled_from([" ", "  ", "", ".", ",", ":", "\n", "5"])),
                      max_size=12).map(lambda ws: "".join(w + g for w, g in ws))


@settings(max_examples=500, deadline=None)
@given(mask_texts)
def test_possessive_mask_matches_the_plain_pattern(text):
    t = normalize(text)
    assert mask(t) == ref_mask_pattern().sub(" ~ ", t)


def test_mask_pattern_is_the_plain_one_made_possessive():
    assert _pattern().pattern.replace("*+", "*").replace("++", "+") == ref_mask_pattern().pattern


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab_1٣ .\n\t-Mr", max_size=30), st.integers(min_value=0, max_value=30))
def test_word_before_equals_the_prefix_search(text, end):
    end = min(end, len(text))
    assert _word_before(text, end) == ref_word_before(text, end)


def test_abbreviations_still_do_not_end_sentences():
    assert [s for _, s in split_sentences("Mr. Smith met Dr. J. Kirby in the U.S. on Friday. He left.\n")] == \
        ["Mr. Smith met Dr. J. Kirby in the U.S. on Friday.", "He left."]


# --- figures.py -------------------------------------------------------------------------------------------

PHRASE_WORDS = sorted({w for v in cues.PHRASES_BEFORE.values() for p in v for w in p.split()}
                      | {"ال" + w for v in cues.PHRASES_BEFORE.values() for p in v for w in p.split()}
                      | {"و" + w for v in cues.NOUNS_AFTER.values() for w in v.split()[:3]} | {"22", "the", "في"})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PHRASE_WORDS), min_size=1, max_size=8))
def test_phrase_index_finds_what_trying_every_phrase_finds(words):
    T = F._tables()
    tokens = [normalize(w) for w in words]
    for end in range(len(tokens)):
        for m in cues.MEASURES:
            assert F._phrase_ends_at(tokens, end, T["phrase_index"][m]) == \
                any(ref_phrase_ends_at(tokens, end, p) for p in T["phrases"][m])
            assert F._phrase_ends_at(tokens, end, T["toll_index"].get(m, {})) == \
                any(ref_phrase_ends_at(tokens, end, p) for p in T["toll_phrases"].get(m, ()))


def test_a_sentence_without_digit_or_number_word_has_no_figure_and_skips_the_matching():
    T = F._tables()
    for sentence in ("The minister spoke to reporters outside the hospital.", "قال الوزير إن الوضع مستقر"):
        tokens = F.tokenize(normalize(sentence))
        assert T["number_tokens"].isdisjoint(tokens) and not any(t[0].isdigit() for t in tokens)
        assert F.figures_in_sentence(sentence) == []
    for sentence, want in (("عشرات القتلى في القصف", "killed"), ("سقوط قتيلين في الغارة", "killed"),
                           ("وخمسة جرحى", "injured"), ("twenty people were killed", "killed")):
        assert T["number_tokens"] & set(F.tokenize(normalize(sentence)))
        assert want in {f.measure for f in F.figures_in_sentence(sentence)}


def test_cached_figures_equal_fresh_ones_and_the_list_is_the_callers():
    sentence = "ارتفعت حصيلة القتلى إلى 22 قتيلاً على الأقل و40 جريحاً"
    clear_caches()
    fresh = F.figures_in_sentence(sentence)
    again = F.figures_in_sentence(sentence)
    assert fresh == again and fresh is not again
    fresh.clear()                                # the caller's list: mutating it leaves the cache alone
    assert F.figures_in_sentence(sentence) == again and len(again) == 2


# --- align.py, compare.py, caches.py ------------------------------------------------------------------------

def test_sentence_key_cache_equals_the_function_and_clear_empties_it():
    text = "تم التحديث منذ 5 دقائق. 1,234 مشاهدة. The toll rose to 22 — “officials” said.\n\nU.S. forces left."
    keys = [s.key for s in sentences_of(text)]
    assert keys == [sentence_key.__wrapped__(s) for _, s in split_sentences(text)]
    assert cache_info()["detector.align.sentence_key"].currsize > 0
    clear_caches()
    assert all(info.currsize == 0 for info in cache_info().values())


def test_compare_gives_the_same_changes_cold_and_warm():
    from bench.detection import long_pair
    a, b = long_pair()
    clear_caches()
    cold = compare(a, b)
    warm = compare(a, b)
    assert cold == warm
    kinds = sorted(c.kind for c in cold.changes)
    assert "figure_changed" in kinds and "sentence_added" in kinds and "sentence_moved" in kinds


# --- dates.py ------------------------------------------------------------------------------------------------

def test_compiled_labels_and_zones_read_as_before():
    phrases = [label + tail for labels in LABELS.values() for label in labels
               for tail in ("", " 5 March 2024", ": 2021/02/26 الساعة 13:58")] + list(TIMEZONES) + ["nothing here"]
    for p in phrases + [f"{a} {b}" for a, b in zip(phrases, reversed(phrases))]:
        assert D.label_of(p) == ref_label_of(p)
    assert D.read_phrase("تم التحديث: 2021/02/26 الساعة 13:58 بتوقيت مكة") == ("2021-02-26T10:58:00Z", "2021-02-26")
    assert D.read_phrase("Updated 5:02 PM EST, 3 March 2024") == ("2024-03-03T22:02:00Z", "2024-03-03")


# --- article.py -------------------------------------------------------------------------------------------

def _after_label(chunk, kind):
    """The normalized text after the first label of `kind` in a chunk ("" when it has none)."""
    t = normalize(chunk)
    hits = [m for label in D._tables()[3][kind] if (m := re.search(rf"(?<!\w){re.escape(label)}(?!\w)", t))]
    return t[min(hits, key=lambda m: m.start()).end():] if hits else ""


def ref_visible_stamps(tree, zone, now=None):
    """_visible_stamps as it was: every text node reads its parent's text again, the region XPath is
    compiled on each call and tested before the label. One correction: the date is read from the text
    after the label, not from the whole chunk (in "January 13, 2020 / 1:39 PM / Updated 2 minutes ago"
    the first loop called the published time the updated one)."""
    found = {}
    for node in tree.xpath("//body//text()[string-length(normalize-space()) > 3]"):
        s = str(node)
        parent = node.getparent()
        while parent is not None and not isinstance(parent.tag, str):
            parent = parent.getparent()
        if parent is None or parent.tag in ("script", "style"):
            continue
        if not A._MAYBE_STAMP.search(s if len(s) >= 12 else parent.text_content()[:200]):
            continue
        chunk = clean_space(parent.text_content())
        if len(chunk) > 160 or parent.xpath(K.NOT_ARTICLE_XPATH):
            continue
        kind = ref_label_of(chunk)
        if kind and kind not in found:
            stamp = D.read_phrase(_after_label(chunk, kind), zone, now)
            if stamp:
                found[kind] = stamp
        if len(found) == 2:
            break
    return found


def _minute(stamp):
    return stamp.utc[:16]


def _printed_after_a_label(tree, kind, stamp, zone, now) -> bool:
    """A real stamp: some short element of the page outside page chrome prints a label of `kind`
    followed by text that reads as `stamp` (to the minute), or carries it as a machine value
    (datetime=, data-* epoch) after the label."""
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "head", "html", "body"):
            continue
        chunk = clean_space(" ".join(el.xpath(".//text()")))     # pieces apart, as a reader sees them
        if len(chunk) > 260 or el.xpath(K.NOT_ARTICLE_XPATH):
            continue
        after = _after_label(chunk, kind)
        if not after:
            continue
        read = D.read_phrase(after, zone, now)
        if read and _minute(read) == _minute(stamp):
            return True
        values = [x.get("datetime") or x.get("content") for x in el.iter() if isinstance(x.tag, str)]
        values += [v for x in el.iter() if isinstance(x.tag, str) for k, v in x.attrib.items() if k.startswith("data-")]
        for v in filter(None, values):
            iso = S.epoch_iso(v.strip()) or v
            machine = D.read_iso(iso, zone)
            if machine and _minute(machine) == _minute(stamp):
                return True
    return False


STAMP_PAGES = [
    "<html><body><header><span>Updated 1 January 2020</span></header><article>"
    "<p>Published <b>5 March 2024</b> 10:00 GMT</p><p>Last updated: 6 March 2024 08:30 GMT</p></article></body></html>",
    "<html><body><div class='sidebar'><p>تم التحديث: 2021/02/26 الساعة 13:58</p></div><div>"
    "<span>نشر في</span> <span>2021/02/25 الساعة 10:00 بتوقيت مكة</span><!-- c -->تم التحديث منذ ساعتين</div></body></html>",
    "<html><body><p>Posted</p><p>posted on 3 March 2024</p><p>modified 2 hours ago</p><p>x</p></body></html>",
]


def _pages_with_stamps():
    pages = list(STAMP_PAGES) + [A.decode(fixture_html(p.key))[0] for p in all_profiles()]
    if (CORPORA / "load.py").exists():
        sys.path.insert(0, str(CORPORA))
        from load import iter_records, read_html
        records = [r for c in ("htmldate_mediacloud", "arabic", "htmldate_realworld") for r in iter_records(c)]
        pages += [A.decode(read_html(r["html"]))[0] for r in records[::8]]
    return pages


def test_visible_stamps_read_what_the_plain_loop_read():
    pages = _pages_with_stamps()
    stamped = extra = 0
    for html in pages:
        for now in (None, "2024-03-05T12:00:00Z"):
            got = A._visible_stamps(A.parse_html(html), "Asia/Riyadh", now)
            ref = ref_visible_stamps(A.parse_html(html), "Asia/Riyadh", now)
            # at least what the plain loop read (to the minute: a machine value in the block adds seconds)
            assert {k: _minute(v) for k, v in got.items() if k in ref} == {k: _minute(v) for k, v in ref.items()}
            # and anything more is a stamp the page prints after its label (sibling spans, an epoch...)
            for kind in set(got) - set(ref):
                assert _printed_after_a_label(A.parse_html(html), kind, got[kind], "Asia/Riyadh", now), (kind, got[kind])
                extra += 1
            stamped += bool(got)
    assert stamped >= 6
    assert extra >= 1               # the block reader finds what one text node at a time did not
    assert A._visible_stamps(A.parse_html(STAMP_PAGES[0]), None) == {
        "published": ("2024-03-05T10:00:00Z", "2024-03-05"), "updated": ("2024-03-06T08:30:00Z", "2024-03-06")}


def test_compiled_selectors_select_as_before_and_a_bad_one_selects_nothing():
    tree = A.parse_html(STAMP_PAGES[0])
    assert [e.text_content() for e in A._css(tree, "article p b")] == ["5 March 2024"]
    assert A._css(tree, "p[") == [] and A._selector("p[") is None
