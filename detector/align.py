"""Align the sentences of two versions: kept, added, removed, edited, moved (NewsEdits' actions).

Sentences are matched on a cosmetic-insensitive key (normalize.loose), so a change of diacritics or
quote style keeps a sentence "kept". Unmatched sentences that reappear elsewhere are "moved"; within a
replaced region, the most similar old/new pairs above a threshold are "edited"; the rest are added or
removed. The result is plain data; words for people are made in summary.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from .caches import text_cache
from .normalize import loose, normalize
from .sentences import split_sentences
from .volatile import mask

EDIT_SIMILARITY = 0.5   # word-level ratio above which a replaced sentence counts as edited


@dataclass(frozen=True)
class Sentence:
    paragraph: int
    index: int
    text: str
    key: str


@dataclass(frozen=True)
class Alignment:
    kept: list[tuple[Sentence, Sentence]]
    added: list[Sentence]
    removed: list[Sentence]
    edited: list[tuple[Sentence, Sentence, float]]
    moved: list[tuple[Sentence, Sentence]]
    new_paragraph_sizes: dict[int, int]


@text_cache(maxsize=8192)
def sentence_key(sentence: str) -> str:
    """What two sentences must share to be the same sentence: cosmetics, relative times, counters aside.
    Cached: the two versions being compared share most of their sentences, and the previous version's
    were keyed on the check before."""
    return loose(mask(normalize(sentence)))


def sentences_of(text: str) -> list[Sentence]:
    return [Sentence(p, i, s, sentence_key(s)) for i, (p, s) in enumerate(split_sentences(text))]


def word_ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def word_diff(old: str, new: str) -> list[list[str]]:
    """[op, text] pieces (equal/delete/insert) of a word-level diff of two sentences as shown."""
    a, b = old.split(), new.split()
    out: list[list[str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(["equal", " ".join(a[i1:i2])])
        if op in ("delete", "replace"):
            out.append(["delete", " ".join(a[i1:i2])])
        if op in ("insert", "replace"):
            out.append(["insert", " ".join(b[j1:j2])])
    return out


def _pair_edits(olds: list[Sentence], news: list[Sentence]):
    """Greedy best-first pairing of replaced sentences whose word similarity passes the threshold."""
    scored = sorted(((word_ratio(o.key, n.key), oi, ni) for oi, o in enumerate(olds) for ni, n in enumerate(news)),
                    reverse=True)
    used_o, used_n, pairs = set(), set(), []
    for r, oi, ni in scored:
        if r < EDIT_SIMILARITY:
            break
        if oi in used_o or ni in used_n:
            continue
        used_o.add(oi), used_n.add(ni)
        pairs.append((olds[oi], news[ni], r))
    rest_o = [o for k, o in enumerate(olds) if k not in used_o]
    rest_n = [n for k, n in enumerate(news) if k not in used_n]
    return pairs, rest_o, rest_n


def align(old_text: str, new_text: str) -> Alignment:
    old, new = sentences_of(old_text), sentences_of(new_text)
    sm = SequenceMatcher(None, [s.key for s in old], [s.key for s in new], autojunk=False)
    kept, regions = [], []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            kept.extend(zip(old[i1:i2], new[j1:j2]))
        else:
            regions.append((old[i1:i2], new[j1:j2]))

    # Moved: a sentence that left one place and appears, unchanged, in another.
    unmatched_new: dict[str, list[Sentence]] = {}
    for _, ns in regions:
        for n in ns:
            unmatched_new.setdefault(n.key, []).append(n)
    moved, moved_new = [], set()
    for os_, _ in regions:
        for o in os_:
            if unmatched_new.get(o.key):
                n = unmatched_new[o.key].pop(0)
                moved.append((o, n))
                moved_new.add(n.index)
    moved_old = {o.index for o, _ in moved}

    added, removed, edited = [], [], []
    for os_, ns in regions:
        os_ = [o for o in os_ if o.index not in moved_old]
        ns = [n for n in ns if n.index not in moved_new]
        pairs, rest_o, rest_n = _pair_edits(os_, ns)
        edited.extend(pairs)
        removed.extend(rest_o)
        added.extend(rest_n)

    sizes: dict[int, int] = {}
    for s in new:
        sizes[s.paragraph] = sizes.get(s.paragraph, 0) + 1
    return Alignment(kept, added, removed, edited, moved, sizes)
