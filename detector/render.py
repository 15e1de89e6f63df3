"""Render changes as HTML or plain text. Pure: changes in, a string out.

HTML: every piece of page text is escaped (a page's markup or script never becomes markup here);
edited sentences show a word diff with <ins>/<del>; each text block gets dir="rtl" when it is mostly
Arabic script, so a mixed Arabic/English article reads right in mail clients and Datasette.
"""
from __future__ import annotations

import re
from html import escape

from .models import Change
from .summary import describe, summarize

_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_LTR = re.compile(r"[A-Za-z\u00c0-\u024f]")


def direction(text: str) -> str:
    """'rtl' when right-to-left letters outnumber Latin ones, else 'ltr'."""
    return "rtl" if len(_RTL.findall(text or "")) > len(_LTR.findall(text or "")) else "ltr"


def _shown(changes) -> list[Change]:
    return [c for c in changes if not c.detail.get("explained_by")]


def _diff_html(diff) -> str:
    out = []
    for op, text in diff:
        t = escape(text)
        out.append(t if op == "equal" else f"<{'del' if op == 'delete' else 'ins'}>{t}</{'del' if op == 'delete' else 'ins'}>")
    return " ".join(out)


def _block(text: str, inner: str | None = None, cls: str = "") -> str:
    return f'<p class="{cls}" dir="{direction(text)}">{inner if inner is not None else escape(text)}</p>'


def change_html(c: Change, lang: str = "en") -> str:
    label = escape(describe(c, lang))
    if c.kind == "title_changed":
        body = _block(f"{c.old} {c.new}", _diff_html(c.detail.get("diff") or [["delete", c.old or ""], ["insert", c.new or ""]]), "title")
    elif c.kind == "sentence_edited":
        body = _block(c.new or "", _diff_html(c.detail.get("diff", [])), "edited")
    elif c.kind in ("sentence_added", "correction_added"):
        body = "".join(_block(p, f"<ins>{escape(p)}</ins>", "added") for p in (c.new or "").split("\n\n") if p)
    elif c.kind == "sentence_removed":
        body = _block(c.old or "", f"<del>{escape(c.old or '')}</del>", "removed")
    elif c.kind == "sentence_moved":
        body = _block(c.new or "", None, "moved")
    elif c.kind == "figure_changed" and c.detail.get("sentence"):
        body = _block(c.detail["sentence"], None, "figure")
    else:
        body = ""
    return f'<li class="change {escape(c.kind)} severity-{escape(c.severity)}"><span class="what">{label}</span>{body}</li>'


def render_html(changes, lang: str = "en") -> str:
    """A self-contained fragment: the one-line summary, then each change."""
    shown = _shown(changes)
    summary = summarize(changes, lang)
    items = "".join(change_html(c, lang) for c in shown)
    return (f'<div class="marsad-diff" dir="{"rtl" if lang == "ar" else "ltr"}" lang="{lang}">'
            f'<p class="summary">{escape(summary)}</p><ul>{items}</ul></div>')


def _diff_text(diff) -> str:
    return " ".join(t if op == "equal" else (f"[-{t}-]" if op == "delete" else f"{{+{t}+}}") for op, t in diff)


def render_text(changes, lang: str = "en") -> str:
    """Plain text: the summary line, then one line per change (+ added, - removed, ~ edited)."""
    lines = [summarize(changes, lang)]
    for c in _shown(changes):
        if c.kind == "sentence_added":
            lines += [f"+ {p}" for p in (c.new or "").split("\n\n") if p]
        elif c.kind == "correction_added":
            lines.append(f"+ [{describe(c, lang)}] {c.new}")
        elif c.kind == "sentence_removed":
            lines.append(f"- {c.old}")
        elif c.kind == "sentence_edited":
            lines.append(f"~ {_diff_text(c.detail.get('diff', []))}")
        elif c.kind == "sentence_moved":
            lines.append(f"↕ {c.new}")
        elif c.kind == "title_changed":
            lines.append(f"{describe(c, lang)}: «{c.old}» → «{c.new}»")
        else:
            lines.append(f"* {describe(c, lang)}")
    return "\n".join(lines)
