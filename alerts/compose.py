"""Alert e-mails: multipart/alternative (plain text and HTML), threaded per article, RTL-aware, escaped.

Pure: items (an article's changes, as storage.outbox.alert_items gives them) in, an EmailMessage out.
No page text ever reaches the HTML part unescaped; Arabic headers are RFC 2047-encoded by the e-mail
policy; each article's alerts share a thread root in In-Reply-To/References so a mail client groups them.
"""
from __future__ import annotations

import hashlib
from email.message import EmailMessage
from email.utils import format_datetime
from datetime import datetime
from html import escape

from detector import describe, direction, render_html, render_text, summarize

SUBJECT_KINDS = ("removed", "fetch_failing", "figure_changed", "updated_time_changed", "title_changed", "correction_added",
                 "published_time_changed")
STYLE = ("body{font-family:'Noto Naskh Arabic','Noto Sans',Arial,sans-serif;line-height:1.6;color:#1b1b1b;"
         "max-width:720px;margin:0 auto;padding:16px}h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;"
         "margin:20px 0 6px;border-top:1px solid #ddd;padding-top:12px}.summary{font-weight:bold;font-size:16px}"
         "ins{background:#d7f5dd;text-decoration:none}del{background:#fbd9d9}.meta{color:#666;font-size:13px}"
         ".marsad-diff ul{padding-inline-start:18px}.what{font-weight:bold;display:block}a{color:#0b57d0}")


def thread_id(article_id: int, domain: str) -> str:
    return f"<marsad.article.{article_id}@{domain}>"


def message_id(alert_ids: list[int], domain: str) -> str:
    """Stable for a set of alert rows, so a resend after a crash carries the same Message-ID."""
    key = ",".join(map(str, sorted(alert_ids)))
    return f"<marsad.alert.{min(alert_ids)}.{hashlib.sha1(key.encode()).hexdigest()[:12]}@{domain}>"


def _short(text: str | None, n: int = 60) -> str:
    """At most n characters, cut at a word boundary."""
    text = (text or "").strip()
    if len(text) <= n:
        return text
    cut = text[:n].rsplit(" ", 1)[0].rstrip(" .,،:؛-—")
    return cut + "…"


def _subject_phrases(changes) -> list[str]:
    out = []
    for kind in SUBJECT_KINDS:
        for c in changes:
            if c.kind != kind or c.detail.get("explained_by"):
                continue
            if kind == "figure_changed":
                out.append(f"{c.field} {c.old if c.old is not None else '—'} → {c.new if c.new is not None else '—'}")
            elif kind == "updated_time_changed" and c.new:
                out.append(f"updated {str(c.new)[11:16] or c.new} GMT")
            else:
                out.append(describe(c))
    return out or [summarize(changes)]


def subject(items: list[dict]) -> str:
    if len(items) == 1:
        it = items[0]
        site = it.get("site") or "marsad"
        return f"[marsad] {site}: {' · '.join(_subject_phrases(it['changes'])[:3])} — {_short(it.get('title'))}"
    sites = sorted({it.get("site") or "?" for it in items})
    return f"[marsad] digest: {len(items)} articles changed ({', '.join(sites[:3])}{'…' if len(sites) > 3 else ''})"


def _links(it: dict, datasette: str | None) -> list[tuple[str, str]]:
    links = [("article", it["url"])]
    if datasette:
        links.append(("versions in Datasette", f"{datasette.rstrip('/')}/versions?article_id={it['article_id']}&_sort=n"))
    return links


def _item_text(it: dict, datasette: str | None) -> str:
    lines = [f"{it.get('site') or ''} — {it.get('title') or it['url']}".strip(" —")]
    if it.get("version"):
        lines.append(f"version {it['version']}, {it.get('at')}")
    lines += ["", render_text(it["changes"], "en")]
    if it.get("lang") == "ar":
        lines.append(summarize(it["changes"], "ar"))
    lines += [""] + [f"{label}: {url}" for label, url in _links(it, datasette)]
    return "\n".join(lines)


def _item_html(it: dict, datasette: str | None, heading: str = "h1") -> str:
    title = it.get("title") or it["url"]
    ar = it.get("lang") == "ar" or direction(title) == "rtl"
    parts = [f'<{heading} dir="{direction(title)}">{escape(title)}</{heading}>',
             f'<p class="meta">{escape(it.get("site") or "")}'
             + (f" · version {it['version']} · {escape(str(it.get('at') or ''))}" if it.get("version") else "") + "</p>",
             render_html(it["changes"], "en")]
    if ar:
        parts.append(f'<p class="summary" dir="rtl" lang="ar">{escape(summarize(it["changes"], "ar"))}</p>')
    parts.append("<p>" + " · ".join(f'<a href="{escape(url, quote=True)}">{escape(label)}</a>'
                                    for label, url in _links(it, datasette)) + "</p>")
    return "\n".join(parts)


def build_message(items: list[dict], *, sender: str, recipient: str, msg_id: str, domain: str,
                  datasette: str | None = None, date: datetime | None = None) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = subject(items)
    msg["From"] = sender
    msg["To"] = recipient
    msg["Message-ID"] = msg_id
    if date:
        msg["Date"] = format_datetime(date)
    threads = [thread_id(it["article_id"], domain) for it in items]
    if len(items) == 1:
        msg["In-Reply-To"] = threads[0]
    msg["References"] = " ".join(dict.fromkeys(threads))
    msg["Auto-Submitted"] = "auto-generated"
    if len(items) == 1:
        text = _item_text(items[0], datasette)
        body = _item_html(items[0], datasette)
    else:
        text = f"{len(items)} articles changed\n\n" + "\n\n----\n\n".join(_item_text(it, datasette) for it in items)
        body = f"<h1>{len(items)} articles changed</h1>" + "".join(
            f"<section>{_item_html(it, datasette, 'h2')}</section>" for it in items)
    rtl = all(it.get("lang") == "ar" for it in items)
    msg.set_content(text + "\n\n-- \nmarsad: every version of every article\n")
    msg.add_alternative(f'<!DOCTYPE html><html lang="{"ar" if rtl else "en"}" dir="{"rtl" if rtl else "ltr"}">'
                        f'<head><meta charset="utf-8"><style>{STYLE}</style></head><body>{body}'
                        '<p class="meta">marsad: every version of every article</p></body></html>', subtype="html")
    return msg


def webhook_payload(items: list[dict]) -> dict:
    """The JSON a webhook receives: one entry per article version, changes as in `marsad compare --json`."""
    return {"alerts": [{"url": it["url"], "site": it.get("site"), "title": it.get("title"),
                        "old_title": it.get("old_title"), "version": it.get("version"), "at": it.get("at"),
                        "summary": summarize(it["changes"]), "summary_ar": summarize(it["changes"], "ar"),
                        "changes": [c.to_dict() for c in it["changes"]]} for it in items]}
