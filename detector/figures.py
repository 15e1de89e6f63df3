"""Find casualty and other tolls in text: "22 قتيلاً", "مقتل 22 شخصاً", "death toll rises to 22".

A number becomes a figure only when a measure word stands next to it (a noun right after it, a verb a
few words after it, or a phrase a few connecting words before it) and nothing marks it as a time, a
date, an age, an amount or a count of things. The word lists live in figure_cues.py.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from . import figure_cues as cues
from .caches import text_cache
from .models import Figure
from .normalize import ascii_digits, normalize
from .sentences import split_sentences

_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_TOKEN = re.compile(r"\d+(?:[:/.]\d+)+|\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:-\d+)?|[^\W\d_]+|[^\w\s]")
_STOP = set(".;?!")
_AR_PREFIXES = ("و", "ف", "ب", "ل")
_AR_ARTICLES = ("وال", "فال", "بال", "كال", "ال", "لل")   # the definite article, alone or after a particle


def _norm_words(words) -> frozenset[str]:
    return frozenset(normalize(w) for w in words)


@lru_cache(maxsize=1)
def _tables():
    """Normalized cue tables, built once."""
    nouns = {m: _norm_words(v.split()) for m, v in cues.NOUNS_AFTER.items()}
    verbs = {m: _norm_words(v.split()) for m, v in cues.VERBS_AFTER.items()}
    phrases = {m: [tuple(normalize(p).split()) for p in v] for m, v in cues.PHRASES_BEFORE.items()}
    qualifiers = {q: [tuple(normalize(p).split()) for p in v] for q, v in cues.QUALIFIERS.items()}
    numwords = {normalize(k): v for k, v in cues.NUMBER_WORDS.items()}
    return dict(nouns=nouns, verbs=verbs, phrases=phrases, qualifiers=qualifiers, numwords=numwords,
                connectors=_norm_words(cues.CONNECTORS), links=_norm_words(cues.LINKS),
                generic=_norm_words(cues.GENERIC_PEOPLE),
                toll_phrases={m: [tuple(normalize(p).split()) for p in v] for m, v in cues.TOLL_PHRASES.items()},
                multipliers={normalize(k): v for k, v in cues.MULTIPLIERS.items()},
                duals={normalize(k): v for k, v in cues.DUAL_NOUNS.items() if " " not in k}, people=_norm_words(cues.PEOPLE),
                block_after=_norm_words(cues.BLOCK_AFTER), block_before=_norm_words(cues.BLOCK_BEFORE),
                phrase_index=_phrase_index(phrases),
                toll_index=_phrase_index({m: [tuple(normalize(p).split()) for p in v]
                                          for m, v in cues.TOLL_PHRASES.items()}),
                number_tokens=_number_tokens(list(numwords) + [normalize(k) for k in cues.DUAL_NOUNS if " " not in k]),
                tens=_norm_words(cues.TENS), units=_norm_words(cues.UNITS),
                word_multipliers={normalize(k): v for k, v in cues.WORD_MULTIPLIERS.items()},
                range_links=_norm_words(cues.RANGE_LINKS),
                frames={m: (_norm_words(b), _norm_words(a)) for m, (b, a) in cues.FRAMES.items()},
                disease=_norm_words(cues.DISEASE), injury_only=_norm_words(cues.INJURY_ONLY),
                background=_first_word_index([tuple(normalize(p).split()) for p in cues.BACKGROUND]),
                months=_norm_words(cues.MONTHS))


def _phrase_index(phrases: dict[str, list[tuple[str, ...]]]) -> dict[str, dict[str, list[tuple[frozenset, ...]]]]:
    """Per measure: each form of a phrase's last word -> the phrases ending in it, every word as its set
    of forms. Looking a token up here tries only the few phrases that could end at it, instead of all
    of them at every word before every number."""
    index: dict[str, dict[str, list]] = {}
    for m, table in phrases.items():
        by_last = index.setdefault(m, {})
        for phrase in table:
            forms = tuple(frozenset(_forms(w)) for w in phrase)
            for f in forms[-1]:
                by_last.setdefault(f, []).append(forms)
    return index


def _number_tokens(words: list[str]) -> frozenset[str]:
    """Every token in which _forms can find one of these number words or dual nouns: the word alone,
    after an attached particle, or after the article. A sentence with none of them, and no token that
    starts with a digit, has no count to read, so it is skipped before any of the costly matching."""
    return frozenset(p + w for w in words for p in ("",) + _AR_PREFIXES + _AR_ARTICLES)


@text_cache(maxsize=4096)
def _forms(word: str) -> tuple[str, ...]:
    """A word, without an attached conjunction or preposition (و ف ب ل), and without the definite article
    ("المفقودين" -> "مفقودين")."""
    forms = [word]
    if len(word) > 3 and word[0] in _AR_PREFIXES:
        forms.append(word[1:])
    for art in _AR_ARTICLES:
        if word.startswith(art) and len(word) - len(art) >= 3:
            forms.append(word[len(art):])
            break
    return tuple(forms)


def _in(word: str, table) -> bool:
    return any(f in table for f in _forms(word))


def _bare_noun(word: str, table) -> bool:
    """A measure noun not joined by a conjunction ("المفقودين" yes; "وإصابة", and-injuring, no: that
    opens a new clause with its own number)."""
    if word in table:
        return True
    if word.startswith(("و", "ف")) and len(word) > 3:
        return False
    return any(word.startswith(a) and word[len(a):] in table for a in ("ال", "لل"))


def tokenize(normalized: str) -> list[str]:
    return _TOKEN.findall(_LETTER_DIGIT.sub(" ", normalized))


def _number(tok: str, numwords) -> tuple[int, bool] | None:
    """(value, approximate) of a count token; None for times, dates, decimals and non-numbers."""
    if tok[0].isdigit():
        if any(c in tok for c in ":/."):
            return None
        if "-" in tok:                       # a range "20-25": the upper bound, marked approximate
            lo, hi = tok.split("-", 1)
            return (int(hi), True) if int(hi) > int(lo) else None
        return int(tok.replace(",", "")), False
    for f in _forms(tok):
        if f in numwords:
            return numwords[f]
    return None


def _words_at(tokens: list[str], start: int, step: int, limit: int) -> list[tuple[int, str]]:
    """Up to `limit` word tokens from `start` in direction `step`, skipping '-' and stopping at stops."""
    out, i = [], start
    while 0 <= i < len(tokens) and len(out) < limit:
        t = tokens[i]
        if t in _STOP:
            break
        if t != "-":
            out.append((i, t))
        i += step
    return out


def _phrase_ends_at(tokens: list[str], end: int, index: dict[str, list[tuple[frozenset, ...]]]) -> bool:
    """Some phrase of the index (see _phrase_index) ends at `end`; the definite article and attached
    particles are ignored on both sides ("حصيلة ضحايا" is "حصيلة الضحايا"): each word of the phrase
    shares a form with the token it stands on."""
    for f in _forms(tokens[end]):
        for phrase in index.get(f, ()):
            start = end - len(phrase) + 1
            if start >= 0 and all(not phrase[k].isdisjoint(_forms(tokens[start + k])) for k in range(len(phrase))):
                return True
    return False


def _measure(tokens: list[str], i: int, T, at: int | None = None) -> str | None:
    after = _words_at(tokens, (at if at is not None else i) + 1, 1, 8)
    if after:                          # "claimed 22 lives": a noun that is a toll only after its verb
        for m, (verbs, nouns) in T["frames"].items():
            if after[0][1] in nouns and any(w in verbs for _, w in _words_at(tokens, i - 1, -1, 3)):
                return m
    # 1. a noun right after the number, or after one people word: "22 قتيلا", "22 شخصا جريحا"
    for pos, (_, w) in enumerate(after[:3]):
        for m in cues.MEASURES:       # after a people word, only the bare noun: not "وإصابة" (and injuring)
            if (_in(w, T["nouns"][m]) if pos == 0 else w in T["nouns"][m]):
                return m
        if not _in(w, T["people"]):
            break
    # 2. a verb a few words after: "22 شخصا من الميليشيات قد قتلوا", "22 people were killed"
    lead = 1 if after and after[0][1] in T["links"] else 0
    if len(after) > lead and (_in(after[lead][1], T["people"]) or after[lead][1] in {"were", "have", "had"}):
        for _, w in after[lead + 1:lead + 7]:
            if _number(w, T["numwords"]):
                break
            for m in cues.MEASURES:          # "22 people were killed", "45 مهاجراً في عداد المفقودين"
                if _in(w, T["verbs"][m]) or _bare_noun(w, T["nouns"][m]):
                    return m
    # 3. a phrase a few connecting words before: "مقتل 22", "حصيلة القتلى الى 22", "toll rose to 22"
    k, free = i - 1, 0
    for _ in range(9):
        if k < 0 or tokens[k] in _STOP:
            break
        for m in cues.MEASURES:
            if _phrase_ends_at(tokens, k, T["phrase_index"][m]):
                if free == 0 or _phrase_ends_at(tokens, k, T["toll_index"].get(m, {})):
                    return m
        if not _in(tokens[k], T["connectors"]):
            if _number(tokens[k], T["numwords"]) or free >= cues.TOLL_GAP:
                break
            free += 1                 # "the death toll from the earthquake rose to 18": only toll phrases
        k -= 1
    return None


def _qualifier(tokens: list[str], i: int, T) -> str:
    window = tokens[max(0, i - 5): i + 10]
    for name, phrases in T["qualifiers"].items():
        for p in phrases:
            for s in range(len(window) - len(p) + 1):
                if all(p[k] in _forms(window[s + k]) for k in range(len(p))):
                    return name
    return ""


PHONE_DIGITS = 7     # a bare run of this many digits is a phone or reference number, not a count


def _subject(tokens: list[str], raw: list[str] | None, i: int, T) -> str:
    """The people word after the number, or after "من"/"of" when that word is generic ("22 شخصاً من
    الميليشيات" -> "الميليشيات"), taken from the raw sentence so it is shown as printed."""
    after = _words_at(tokens, i + 1, 1, 6)
    for k, (pos, w) in enumerate(after):
        if _in(w, T["people"]) and not _in(w, T["generic"]):
            return raw[pos] if raw else w
        if _in(w, T["links"]) and k + 1 < len(after):
            pos2, w2 = after[k + 1]
            return raw[pos2] if raw else w2
    return ""


def figures_in_sentence(sentence: str, disease_context: bool = False) -> list[Figure]:
    """Figures stated in one sentence, at most one per (measure, value). `disease_context`: the article
    (its headline or lede) names a disease, so an ambiguous إصابة count is a case count."""
    return list(_figures_in_sentence(sentence, disease_context))


def _has_phrase(tokens: list[str], by_first: dict[str, list[tuple[str, ...]]]) -> bool:
    """Some phrase (indexed by its first word) stands in the tokens, each word matching a form of its token."""
    n = len(tokens)
    for s, tok in enumerate(tokens):
        for f in _forms(tok):
            for p in by_first.get(f, ()):
                if s + len(p) <= n and all(p[k] in _forms(tokens[s + k]) for k in range(1, len(p))):
                    return True
    return False


def _first_word_index(phrases: list[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list] = {}
    for p in phrases:
        index.setdefault(p[0], []).append(p)
    return index


def _background(tokens: list[str], T) -> bool:
    """The sentence is about the past or the whole world (cues.BACKGROUND), or names a bare year."""
    for i, t in enumerate(tokens):
        if len(t) == 4 and t.isdigit() and 1900 <= int(t) <= 2100:
            before = [w for _, w in _words_at(tokens, i - 1, -1, 3)]
            if not any(_in(w, T["months"]) for w in before):
                return True
    return _has_phrase(tokens, T["background"])


@text_cache(maxsize=4096)
def is_background(sentence: str) -> bool:
    """A background sentence ("a 2019 attack killed 300", "as many as 200 in past years", "worldwide"):
    its figures are compared where they stand, but they are never the story's own toll."""
    return _background(tokenize(normalize(sentence)), _tables())


def _mentions_disease(tokens: list[str], T) -> bool:
    return any(_in(t, T["disease"]) for t in tokens)


def mentions_disease(text: str) -> bool:
    """The text names a disease or an infection (cues.DISEASE)."""
    return _mentions_disease(tokenize(normalize(text or "")), _tables())


def _read_number(tokens: list[str], i: int, T) -> tuple[int, bool, int] | None:
    """(value, approximate, index of the number's last token) of the count starting at token i:
    "22", "twenty-two", "two dozen", "200 ألف", "1.5 million" (read as 1 million: a decimal is no count)."""
    tok = tokens[i]
    num = _number(tok, T["numwords"])
    if num is None:
        return None
    value, approximate = num
    at = i
    if tok in T["tens"]:                                   # "twenty-two", "twenty two"
        j = i + 2 if i + 2 < len(tokens) and tokens[i + 1] == "-" else i + 1
        if j < len(tokens) and tokens[j] in T["units"]:
            value += T["numwords"][tokens[j]][0]
            at = j
    if at + 1 < len(tokens):
        nxt = tokens[at + 1]
        if tok[0].isdigit() and nxt in T["multipliers"]:
            value *= T["multipliers"][nxt]
            at += 1
        elif not tok[0].isdigit() and nxt in T["word_multipliers"] and not approximate:
            value *= T["word_multipliers"][nxt]                # "two dozen", "three hundred"
            at += 1
    return value, approximate, at


@text_cache(maxsize=4096)
def _figures_in_sentence(sentence: str, disease_context: bool = False) -> tuple[Figure, ...]:
    """figures_in_sentence, cached (pure, and a recrawled article repeats its sentences)."""
    T = _tables()
    tokens = tokenize(normalize(sentence))
    if T["number_tokens"].isdisjoint(tokens) and not any(t[0].isdigit() for t in tokens):
        return ()                                         # no token _number or the dual test can accept
    disease: bool | None = None                           # read when a case or an injury count is found
    background: bool | None = None
    raw: list[str] | None | bool = False                  # the sentence as printed, tokenized when needed
    found: dict[tuple[str, int], Figure] = {}
    skip: set[int] = set()
    for i, tok in enumerate(tokens):
        if i in skip:
            continue
        dual = next((T["duals"][f] for f in _forms(tok) if f in T["duals"]), None)
        if dual and not (i > 0 and _number(tokens[i - 1], T["numwords"])):
            found.setdefault((dual, 2), Figure(dual, 2, sentence, "", False, ""))
            continue
        read = _read_number(tokens, i, T)
        if read is None:
            continue
        value, approximate, at = read                 # `at`: where the number ends (after "-two", "ألف")
        skip.update(range(i + 1, at + 1))
        if tok.isdigit() and len(tok) >= PHONE_DIGITS or (i > 0 and tokens[i - 1] == "+"):
            continue
        if at + 2 < len(tokens) and tokens[at + 1] in T["range_links"]:
            upper = _read_number(tokens, at + 2, T)
            if upper and upper[0] > value:
                continue                              # "20 to 25 killed": the lower bound of a range
        lower = _number(tokens[i - 2], T["numwords"]) if i >= 2 and tokens[i - 1] in T["range_links"] else None
        ranged = bool(lower) and lower[0] < value         # "20 to 25": the upper bound, approximate
        approximate = approximate or ranged
        prev = _words_at(tokens, i - 1, -1, 1)
        nxt = _words_at(tokens, at + 1, 1, 1)
        if prev and _in(prev[0][1], T["block_before"]):
            continue
        if nxt and _in(nxt[0][1], T["block_after"]):
            continue
        if at + 1 < len(tokens) and tokens[at + 1] in {"%", ":", "/"}:
            continue
        measure = _measure(tokens, i, T, at)
        if measure is None:
            continue
        if 1900 <= value <= 2100 and not (nxt and (_in(nxt[0][1], T["nouns"][measure])
                                                   or _in(nxt[0][1], T["people"]))):
            continue                                            # a year, unless "2000 قتيل", "1900 شخص"
        if measure in ("cases", "injured"):
            if disease is None:
                disease = disease_context or _mentions_disease(tokens, T)
            if measure == "cases" and not disease:
                continue                                        # "22 cases" of what? a court, a shipment
            if measure == "injured" and disease and not any(_in(t, T["injury_only"]) for t in tokens):
                measure = "cases"                               # "190 ألف إصابة" in a COVID story
        if background is None:
            background = _background(tokens, T)
        if raw is False:
            raw = tokenize(ascii_digits(sentence))
            raw = raw if len(raw) == len(tokens) else None    # positions line up unless NFKC split a token
        qualifier = _qualifier(tokens, i, T) or ("range" if ranged else "")
        found.setdefault((measure, value), Figure(measure, value, sentence, qualifier,
                                                  approximate, _subject(tokens, raw, at, T), "", background))
    return tuple(found.values())


def find_figures(title: str | None, text: str) -> tuple[Figure, ...]:
    """Figures of a whole article, each with where it stands: the headline, the lede (the first
    paragraph), or the body. A disease named in the headline or the lede makes an ambiguous إصابة count
    a case count in every sentence."""
    sentences = split_sentences(text)
    lede = " ".join(s for p, s in sentences if p == 0)
    disease = mentions_disease(f"{title or ''} {lede}")
    out: list[Figure] = []
    if title:
        out.extend(replace(f, where="headline") for f in figures_in_sentence(title, disease))
    for p, sentence in sentences:
        out.extend(replace(f, where="lede" if p == 0 else "body") for f in figures_in_sentence(sentence, disease))
    return tuple(out)


def story_figures(figures) -> dict[str, Figure]:
    """Per measure, the story's own toll: the highest value stated anywhere (a headline toll is the
    story's toll; a lower number is usually a subset, "5 of them children"; a later sentence may state a
    newer count than the lede), the headline's first on a tie. Background figures (a past attack, a
    world total: Figure.background) never count, so they cannot mask the story's own toll."""
    best: dict[str, tuple[int, int, Figure]] = {}
    for f in figures:
        if f.background:
            continue
        key = (f.value, f.where == "headline")
        if f.measure not in best or key > best[f.measure][:2]:
            best[f.measure] = (*key, f)
    return {m: v[2] for m, v in best.items()}
