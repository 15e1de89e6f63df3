"""Alert e-mails: multipart/alternative (plain text and HTML), threaded per article, RTL-aware, escaped.

Pure: items (an article's changes, as storage.outbox.alert_items / digest_items give them) in, an
EmailMessage out. What an editor reads at a glance comes first: the subject says the change in words
("killed 17 → 22 · headline changed — <headline>"; a digest: "3 articles changed: killed 12 → 23 in
<headline>; ..."), the body gives the headline as it is now, what changed, which rule matched and why,
and links to the article's page in marsad at the version pair reported (alerts/links.py).

No page text ever reaches the HTML part unescaped. Headers are encoded by alerts/mailtext.py (no space
lost in folding) and every value is bidi-isolated when the message holds Arabic, so the order holds in
any client. Each article's mails share a thread root in In-Reply-To/References; List-Id, Auto-Submitted
and List-Unsubscribe (a mailto of the sender) let a client file and filter them.
"""
from __future__ import annotations

import hashlib
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from datetime import datetime
from html import escape
from urllib.parse import quote

from detector import describe, direction, render_html, render_text, severity_rank, summarize

from .links import article_page, front_page
from .mailtext import has_rtl, isolate, isolate_all, line_isolated, phrase, set_text_header, slug

SUBJECT_KINDS = ("removed", "fetch_failing", "figure_changed", "updated_time_changed", "title_changed", "correction_added",
                 "published_time_changed")
SEVERITY_HEADINGS = {"high": "High", "medium": "Medium", "low": "Low", "none": "Cosmetic"}
EXCERPT_CHARS = 700           # of a taken-down story's last text, in its mail
SIGNATURE = "marsad: every version of every article"
STYLE = ("body{font-family:'Noto Naskh Arabic','Noto Sans',Arial,sans-serif;line-height:1.6;color:#1b1b1b;"
         "max-width:720px;margin:0 auto;padding:16px}h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;"
         "margin:18px 0 4px}h3{font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:#555;"
         "margin:24px 0 4px;border-bottom:1px solid #ddd}h3.high{color:#a50e0e}section{margin-bottom:14px}"
         ".summary{font-weight:bold;font-size:16px}ins{background:#d7f5dd;text-decoration:none}del{background:#fbd9d9}"
         ".meta{color:#666;font-size:13px;margin:2px 0}.path{font-weight:bold}.why{color:#444;font-size:13px}"
         ".marsad-diff ul{padding-inline-start:18px}.what{font-weight:bold;display:block}a{color:#0b57d0}"
         "blockquote{margin:6px 0;padding:4px 12px;border-inline-start:3px solid #bbb;color:#333;background:#fafafa}"
         ".foot{color:#777;font-size:12px;border-top:1px solid #ddd;margin-top:24px;padding-top:8px}"
         ".badge{display:inline-block;font-size:12px;font-weight:bold;text-transform:uppercase;letter-spacing:.04em;"
         "padding:1px 7px;border-radius:3px;color:#fff;background:#555}.badge.silent{background:#8a4b00}"
         ".badge.takedown{background:#a50e0e}.badge.abtest{background:#4a3aa8}.badge.restamped{background:#56606b}"
         ".evidence{margin:6px 0;font-size:14px}.variants{margin:2px 0 8px}")


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


def excerpt(text: str | None, n: int = EXCERPT_CHARS) -> str:
    """The first paragraphs of a text, about n characters, the last one cut at a word."""
    out, size = [], 0
    for p in (text or "").split("\n\n"):
        p = p.strip()
        if not p:
            continue
        if size + len(p) > n:
            if not out or n - size > 80:
                out.append(_short(p, max(n - size, 80)))
            break
        out.append(p)
        size += len(p)
    return "\n\n".join(out)


def _when(iso: str | None) -> str:
    return f"{iso[:10]} {iso[11:16]} UTC" if iso and len(iso) >= 16 else (iso or "")


def _figure(c) -> str:
    path = c.detail.get("path")
    values = path if path else [c.old, c.new]
    return f"{c.field} " + " → ".join("—" if v is None else str(v) for v in values)


def _subject_phrases(changes, net: bool = True) -> list[str]:
    out = []
    for kind in SUBJECT_KINDS:
        for c in changes:
            if c.kind != kind or c.detail.get("explained_by"):
                continue
            if kind == "figure_changed":
                out.append(f"{c.field} {'—' if c.old is None else c.old} → {'—' if c.new is None else c.new}"
                           if net else _figure(c))
            elif kind == "updated_time_changed" and c.new:
                out.append(f"updated {str(c.new)[11:16] or c.new} GMT")
            else:
                out.append(describe(c))
    return out or [summarize(changes)]


def _by_severity(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda it: -severity_rank(it.get("severity") or "none"))


def _rtl(items: list[dict]) -> bool:
    return any(has_rtl(it.get("title")) or has_rtl(it.get("site")) or it.get("lang") == "ar" for it in items)


def subject(items: list[dict], digest: bool | None = None) -> str:
    """The subject in words. One article: its site, what changed, its headline. A digest: how many
    articles, then the two most severe changes with their headlines."""
    digest = len(items) > 1 if digest is None else digest
    on = _rtl(items)
    if not digest:
        it = items[0]
        site, what, title = isolate_all([it.get("site") or "marsad", " · ".join(_subject_phrases(it["changes"])[:3]),
                                         _short(it.get("title") or it["url"])], on)
        return f"[marsad] {site}: {what} — {title}"
    ranked = _by_severity(items)
    n = len(items)
    parts = []
    for it in ranked[:2]:
        what, title = isolate_all([_subject_phrases(it["changes"])[0], _short(it.get("title") or it["url"], 50)], on)
        parts.append(f"{what} in {title}")
    more = f"; and {n - 2} more" if n > 2 else ""
    return f"[marsad] {n} article{'s' if n != 1 else ''} changed: {'; '.join(parts)}{more}"


# ---- the parts of one item ----

def _pair(it: dict) -> tuple[int | None, int | None]:
    return (it.get("from_n"), it.get("version")) if it.get("version_id") else (None, None)


def _links(it: dict, public_url: str | None) -> list[tuple[str, str]]:
    old_n, new_n = _pair(it)
    label = (f"versions {old_n} → {new_n} in marsad (timeline, chart, side by side)" if old_n and new_n
             else "the article in marsad (timeline, last text)")
    out = [(label, article_page(public_url, it["article_id"], old_n, new_n))]
    good = _last_good(it) if not new_n else None
    if good:
        out.insert(0, (f"the last good version ({good}) in marsad", article_page(public_url, it["article_id"],
                                                                                  None, good)))
    return out + [("the article on its site", it["url"])]


def _meta(it: dict) -> str:
    old_n, new_n = _pair(it)
    if it.get("revisions") and len(it["revisions"]) > 1:
        return f"{len(it['revisions'])} revisions, versions {old_n} → {new_n}, last seen {_when(it.get('at'))}"
    if new_n:
        return f"version {new_n}" + (f" (compared with {old_n})" if old_n else "") + f", {_when(it.get('at'))}"
    return _when(it.get("at"))


def _why(it: dict) -> list[str]:
    return it.get("why") or [f"rule “{isolate(r) if has_rtl(r) else r}”" for r in it.get("rules") or []]


TAKEDOWN_WORDS = {"not_found": "HTTP 404", "gone": "HTTP 410", "redirect_home": "redirected to the home page",
                  "redirect_section": "redirected to a section page", "soft_404": "the page says it is not found",
                  "body_vanished": "the text gave way to a notice", "noindex": "noindex appeared",
                  "feed_dropout": "dropped from its feed"}


def _badges(it: dict) -> list[tuple[str, str, str, list[str]]]:
    """(css class, badge, what it means, page texts it names) for the evidence an item carries: a
    silent edit, a re-stamp, a probable headline test, a take-down (detector/silent.py, headline_tests.py,
    takedown.py). Page texts (headline variants) are kept apart so each can be bidi-isolated."""
    from detector.takedown import kind_of
    changes = it["changes"]
    out = []
    silent = [c for c in changes if c.detail.get("silent")]
    if silent:
        stamp = ("the page prints no update stamp" if silent[0].detail.get("stamp") == "none"
                 else "the update stamp did not move")
        out.append(("silent", "silent edit", f"{stamp} and no correction notice was added", []))
    if any(c.detail.get("restamped") for c in changes):
        out.append(("restamped", "re-stamped", "the update stamp moved; the text did not change", []))
    for c in changes:
        test = c.detail.get("headline_test") if c.kind == "title_changed" else None
        if test:
            out.append(("abtest", "headline test", f"probable A/B test, {len(test['variants'])} headlines "
                        f"served in turn ({test['flips']} flips since {_when(test.get('since'))}):",
                        list(test["variants"])))
    for c in changes:
        if c.kind == "removed":
            out.append(("takedown", "taken down", TAKEDOWN_WORDS.get(kind_of(c), kind_of(c)), []))
    return out


def _last_good(it: dict) -> int | None:
    """The last version before a take-down, which the mail links to."""
    for c in it["changes"]:
        if c.kind == "removed" and c.detail.get("last_good_version"):
            return c.detail["last_good_version"]
    return it.get("last_n") if any(c.kind == "removed" for c in it["changes"]) else None


def _item_text(it: dict, public_url: str | None, rtl: bool) -> str:
    iso = isolate if rtl else (lambda s: s or "")
    lines = [f"{iso(it.get('site') or '')} — {iso(it.get('title') or it['url'])}".strip(" —"), _meta(it)]
    why = _why(it)
    if why:
        lines.append("Matched: " + "; ".join(why))
    for _, badge, meaning, texts in _badges(it):
        lines.append(f"[{badge.upper()}] {meaning}" + "".join(f"\n  {n}. {isolate(t) if has_rtl(t) else t}"
                                                             for n, t in enumerate(texts, 1)))
    lines.append("")
    for c in it["changes"]:
        if c.kind == "figure_changed" and c.detail.get("path"):
            lines.append(f"{_figure(c)} (as it stands now)")
    lines += [line_isolated(l) for l in render_text(it["changes"], "en").split("\n")]
    if it.get("lang") == "ar":
        lines.append(iso(summarize(it["changes"], "ar")))
    if it.get("last_text") is not None and not it.get("version_id"):
        lines += ["", f"Last text marsad holds (version {it.get('last_n')}, fetched {_when(it.get('last_at'))}):"]
        lines += [line_isolated(p) for p in excerpt(it["last_text"]).split("\n\n")]
    lines += [""] + [f"{label}: {url}" for label, url in _links(it, public_url)]
    return "\n".join(lines)


def _bdi(text: str | None) -> str:
    return f"<bdi>{escape(text or '')}</bdi>"


def _item_html(it: dict, public_url: str | None, heading: str = "h1") -> str:
    title = it.get("title") or it["url"]
    parts = [f'<{heading} dir="{direction(title)}">{escape(title)}</{heading}>',
             f'<p class="meta">{_bdi(it.get("site"))} · {escape(_meta(it))}</p>']
    why = _why(it)
    if why:
        parts.append('<p class="why" dir="ltr">Matched: ' + "; ".join(escape(w) for w in why) + "</p>")
    for cls, badge, meaning, texts in _badges(it):
        parts.append(f'<p class="evidence" dir="ltr"><span class="badge {cls}">{escape(badge)}</span> '
                     f'{escape(meaning)}</p>' + (f'<ol class="variants" dir="{direction(texts[0])}">' + "".join(
                         f'<li dir="{direction(t)}">{escape(t)}</li>' for t in texts) + "</ol>" if texts else ""))
    paths = [c for c in it["changes"] if c.kind == "figure_changed" and c.detail.get("path")]
    parts += [f'<p class="path">{escape(_figure(c))} <span class="meta">(as it stands now)</span></p>' for c in paths]
    parts.append(render_html(it["changes"], "en"))
    if it.get("lang") == "ar" or direction(title) == "rtl":
        parts.append(f'<p class="summary" dir="rtl" lang="ar">{escape(summarize(it["changes"], "ar"))}</p>')
    if it.get("last_text") is not None and not it.get("version_id"):
        parts.append(f'<p class="meta">Last text marsad holds (version {escape(str(it.get("last_n")))}, fetched '
                     f'{escape(_when(it.get("last_at")))}):</p><blockquote>'
                     + "".join(f'<p dir="auto">{escape(p)}</p>' for p in excerpt(it["last_text"]).split("\n\n"))
                     + "</blockquote>")
    parts.append('<p class="links">' + " · ".join(f'<a href="{escape(url, quote=True)}">{escape(label)}</a>'
                                                  for label, url in _links(it, public_url)) + "</p>")
    return "\n".join(parts)


def _window_text(window) -> str:
    """'between 09:30 and 10:00 on 2026-12-02 (Asia/Riyadh)' for (start, end, tz), or ''."""
    if not window:
        return ""
    from zoneinfo import ZoneInfo
    start, end, tz = window
    s, e = start.astimezone(ZoneInfo(tz)), end.astimezone(ZoneInfo(tz))
    if (end - start).total_seconds() < 86400:
        return f"between {s:%H:%M} and {e:%H:%M} on {s:%Y-%m-%d} ({tz})"
    return f"from {s:%Y-%m-%d %H:%M} to {e:%Y-%m-%d %H:%M} ({tz})"


def _footer(rules: list[str], recipient: str, sender: str) -> tuple[str, str]:
    who = ", ".join(f"“{isolate(r) if has_rtl(r) else r}”" for r in rules) or "an alert rule"
    addr = parseaddr(sender)[1]
    text = (f"You get this mail because {who} in marsad's configuration sends to {recipient}. "
            f"To stop it, write to {addr} (or remove the address from that [[alerts]] rule).")
    html = (f"You get this mail because {escape(who)} in marsad's configuration sends to {escape(recipient)}. "
            f'To stop it, write to <a href="mailto:{escape(addr, quote=True)}">{escape(addr)}</a> '
            "(or remove the address from that [[alerts]] rule).")
    return text, html


def build_message(items: list[dict], *, sender: str, recipient: str, msg_id: str, domain: str,
                  public_url: str | None = None, date: datetime | None = None, digest: bool | None = None,
                  window=None) -> EmailMessage:
    """One mail: a single article's change, or (`digest`, or several items) a digest grouped by severity.
    `window` = (start, end, tz) names a digest's window in its text."""
    digest = len(items) > 1 if digest is None else digest
    msg = EmailMessage()
    set_text_header(msg, "Subject", subject(items, digest))
    msg["From"] = sender
    msg["To"] = recipient
    msg["Message-ID"] = msg_id
    if date:
        msg["Date"] = format_datetime(date)
    threads = [thread_id(it["article_id"], domain) for it in items]
    if len(items) == 1:
        msg["In-Reply-To"] = threads[0]
    msg["References"] = " ".join(dict.fromkeys(threads))
    rules = list(dict.fromkeys(r for it in items for r in it.get("rules") or []))
    if len(rules) == 1:
        msg.set_raw("List-Id", f"{phrase('marsad: ' + rules[0])} <{slug(rules[0], 'rule')}.alerts.{domain}>")
    else:
        msg["List-Id"] = f'"marsad alerts" <alerts.{domain}>'
    addr = parseaddr(sender)[1]
    if addr:
        msg["List-Unsubscribe"] = f"<mailto:{addr}?subject={quote('unsubscribe ' + (rules[0] if len(rules) == 1 else recipient))}>"
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"
    rtl = _rtl(items)
    foot_text, foot_html = _footer(rules, recipient, sender)
    front = front_page(public_url)
    if not digest:
        text = _item_text(items[0], public_url, rtl)
        body = _item_html(items[0], public_url)
    else:
        n = len(items)
        head = f"{n} article{'s' if n != 1 else ''} changed {_window_text(window)}".strip()
        text_parts, html_parts = [head, ""], [f"<h1>{escape(head)}</h1>"]
        for sev in ("high", "medium", "low", "none"):
            group = [it for it in items if (it.get("severity") or "none") == sev]
            if not group:
                continue
            text_parts += [f"== {SEVERITY_HEADINGS[sev]} ({len(group)}) ==", ""]
            text_parts += [_item_text(it, public_url, rtl) + "\n" for it in group]
            html_parts.append(f'<h3 class="{sev}">{SEVERITY_HEADINGS[sev]} ({len(group)})</h3>')
            html_parts += [f"<section>{_item_html(it, public_url, 'h2')}</section>" for it in group]
        text, body = "\n".join(text_parts).rstrip(), "\n".join(html_parts)
    all_rtl = all(it.get("lang") == "ar" for it in items)
    msg.set_content(f"{text}\n\nEvery change, newest first: {front}\n\n-- \n{SIGNATURE}\n{foot_text}\n")
    # The frame (labels, links) is English, so the page is LTR; each Arabic block carries dir="rtl".
    msg.add_alternative(f'<!DOCTYPE html><html lang="{"ar" if all_rtl else "en"}" dir="ltr">'
                        f'<head><meta charset="utf-8"><style>{STYLE}</style></head><body>{body}'
                        f'<p class="links"><a href="{escape(front, quote=True)}">Every change, newest first</a></p>'
                        f'<p class="foot" dir="ltr">{escape(SIGNATURE)}<br>{foot_html}</p></body></html>', subtype="html")
    return msg


def webhook_payload(items: list[dict]) -> dict:
    """The JSON a webhook receives: one entry per article version, changes as in `marsad compare --json`."""
    return {"alerts": [{"url": it["url"], "site": it.get("site"), "title": it.get("title"),
                        "old_title": it.get("old_title"), "version": it.get("version"), "at": it.get("at"),
                        "summary": summarize(it["changes"]), "summary_ar": summarize(it["changes"], "ar"),
                        "changes": [c.to_dict() for c in it["changes"]]} for it in items]}
