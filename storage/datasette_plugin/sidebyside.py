"""Two versions side by side, marked at the level an editor reads: in an edited sentence only the words
that changed (the toll "17" struck, "22" inserted), whole sentences only when they were added or
removed. The sentences are aligned by the detector (detector/align.py), so what is marked here is what
the change summary counts. Pure: texts in, escaped markup out.
"""
from __future__ import annotations

from html import escape

from detector import direction
from detector.align import align, word_diff
from detector.sentences import split_sentences


def _words(diff, keep: str) -> str:
    """One side of a word diff: `keep` is "delete" for the old column, "insert" for the new one."""
    tag = "del" if keep == "delete" else "ins"
    out = []
    for op, text in diff:
        if op == "equal":
            out.append(escape(text))
        elif op == keep and text:
            out.append(f"<{tag}>{escape(text)}</{tag}>")
    return " ".join(out)


def _column(text: str, marks: dict[int, tuple[str, str]]) -> list[str]:
    """Paragraphs of `text` as <p>, each sentence marked by its index: (css class, inner html)."""
    paragraphs: dict[int, list[str]] = {}
    plain: dict[int, list[str]] = {}
    for i, (p, sentence) in enumerate(split_sentences(text)):
        cls, inner = marks.get(i, ("", escape(sentence)))
        paragraphs.setdefault(p, []).append(f'<span class="{cls}">{inner}</span>' if cls else inner)
        plain.setdefault(p, []).append(sentence)
    out = []
    for p, pieces in paragraphs.items():
        out.append(f'<p dir="{direction(" ".join(plain[p]))}">{" ".join(pieces)}</p>')
    return out


def side_by_side(old: dict, new: dict) -> dict:
    """{"old": html, "new": html, "title_old": html, "title_new": html} for two versions (dicts with
    title and text)."""
    a = align(old.get("text") or "", new.get("text") or "")
    old_marks: dict[int, tuple[str, str]] = {}
    new_marks: dict[int, tuple[str, str]] = {}
    for o, n, _ in a.edited:
        diff = word_diff(o.text, n.text)
        old_marks[o.index] = ("edited", _words(diff, "delete"))
        new_marks[n.index] = ("edited", _words(diff, "insert"))
    for o in a.removed:
        old_marks[o.index] = ("gone", f"<del>{escape(o.text)}</del>")
    for n in a.added:
        new_marks[n.index] = ("new", f"<ins>{escape(n.text)}</ins>")
    for o, n in a.moved:
        old_marks[o.index] = ("moved", escape(o.text))
        new_marks[n.index] = ("moved", escape(n.text))
    old_title, new_title = old.get("title") or "", new.get("title") or ""
    if old_title != new_title:
        diff = word_diff(old_title, new_title)
        title_old, title_new = _words(diff, "delete"), _words(diff, "insert")
    else:
        title_old = title_new = escape(new_title)
    return {"old": "".join(_column(old.get("text") or "", old_marks)),
            "new": "".join(_column(new.get("text") or "", new_marks)),
            "title_old": title_old, "title_new": title_new,
            "title_old_dir": direction(old_title), "title_new_dir": direction(new_title)}
