"""Sentence splitting for Arabic and English news text.

Arabic sentences end at `.`, `؟`, `!`, `؛` (and `?`, `;`); the Arabic comma `،` never ends one.
English ends are the same marks, except after common abbreviations, initials and inside decimals.
Paragraph breaks always end a sentence. Closing quotes and brackets stay with their sentence.
"""
from __future__ import annotations

import re

ENDERS = ".!?؟;؛…"
CLOSERS = "\"'”’»)]』」"
# Words after which a full stop does not end an English sentence (lower-case, without the dot).
ABBREVIATIONS = frozenset("""
mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep rev hon pres
jan feb mar apr jun jul aug sep sept oct nov dec no vs etc inc ltd co corp u.s u.k u.n e.g i.e a.m p.m
""".split())

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_END = re.compile(rf"[{re.escape(ENDERS)}]+[{re.escape(CLOSERS)}]*(?=\s|$)")


def _word_before(text: str, end: int) -> str | None:
    r"""The run of word characters and dots that ends at `end` (what `re.search(r"([\w.]+)$",
    text[:end])` finds, a final newline aside as `$` allows), read backwards from `end`: searching the
    whole prefix for it cost time in proportion to the paragraph's length at every full stop."""
    j = end
    if j > 0 and text[j - 1] == "\n":
        j -= 1
    i = j
    while i > 0 and ((c := text[i - 1]) == "." or c == "_" or c.isalnum()):   # isalnum() or "_" is \w
        i -= 1
    return text[i:j] if i < j else None


def _ends_sentence(text: str, match: re.Match) -> bool:
    mark = match.group(0)
    if not mark.startswith("."):
        return True
    word = _word_before(text, match.start())
    if not word:
        return True
    w = word.lower()
    if w in ABBREVIATIONS or w.rstrip(".") in ABBREVIATIONS:
        return False
    if len(w) == 1 and w.isalpha() and w.isascii():   # an initial: "J. Kirby"
        return False
    return True


def split_paragraph(paragraph: str) -> list[str]:
    """Sentences of one paragraph, stripped; decimals such as 3.5 are safe (no space after the dot)."""
    out, start = [], 0
    for m in _END.finditer(paragraph):
        if _ends_sentence(paragraph, m):
            piece = paragraph[start: m.end()].strip()
            if piece:
                out.append(piece)
            start = m.end()
    tail = paragraph[start:].strip()
    if tail:
        out.append(tail)
    return out


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(paragraph index, sentence) for every sentence; paragraphs are separated by blank lines."""
    result = []
    paragraphs = [p for p in _PARAGRAPH_BREAK.split(text or "") if p.strip()]
    for i, para in enumerate(paragraphs):
        for line in para.split("\n"):          # a line break inside a paragraph also ends a sentence
            for s in split_paragraph(line):
                result.append((i, s))
    return result
