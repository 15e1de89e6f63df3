"""Writes the development pages (bench/devpages/pages/*.html) and their ground truth (truth.json).

    python -m bench.devpages.build

Ten markups written from public conventions (a WordPress theme, a JSON-LD-only page, a wire service,
a live blog, a CMS with the site name in its <h1>, a table layout, AMP, a <br>-separated body,
schema.org microdata, a meta-tags-only page), each with English and Arabic stories; every updated-
stamp shape of issue 12 (wire style, "Last updated", <time> in a byline, JSON-LD/meta/og/microdata only,
sibling spans, an epoch in a custom element, a label after an icon, label and time on two lines,
relative stamps, Eastern digits, regional month names, ص/م) and every noise kind (related list,
"Read also" teaser, counters, newsletter box, tag list) appear in both halves of the split. The pages
are generated so the truth is exact; they are marsad's development set, never its tests.
"""
from __future__ import annotations

import html
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from .stories import AR, EN, SITES, TEASERS

HERE = Path(__file__).resolve().parent
UTC = timezone.utc
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]
AP_MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
EG_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
             "نوفمبر", "ديسمبر"]
LEVANT_MONTHS = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
                 "تشرين الأول", "تشرين الثاني", "كانون الأول"]
MAGHREB_MONTHS = ["جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر", "أكتوبر",
                  "نوفمبر", "ديسمبر"]
AR_DAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
NY, LONDON = ZoneInfo("America/New_York"), ZoneInfo("Europe/London")


def e(s: str) -> str:
    return html.escape(s, quote=True)


def h12(dt: datetime, style: str = "PM") -> str:
    h = dt.hour % 12 or 12
    mark = ("PM" if dt.hour >= 12 else "AM") if style == "PM" else ("p.m." if dt.hour >= 12 else "a.m.")
    return f"{h}:{dt.minute:02d} {mark}"


def ar_h12(dt: datetime) -> tuple[str, str]:
    h = dt.hour % 12 or 12
    return f"{h:02d}:{dt.minute:02d}", "م" if dt.hour >= 12 else "ص"


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


# --- updated-stamp shapes: (U in UTC, fetched) -> dict(head, visible, ld, in_byline, mark, fetched) -----

def _s(visible="", head="", ld=False, in_byline=False, mark=None, fetched=None, lang_tag=None):
    return dict(visible=visible, head=head, ld=ld, in_byline=in_byline, mark=mark, fetched=fetched, lang_tag=lang_tag)


def en_wire(u):
    t = f"Updated {h12(u)} GMT, {EN_MONTHS[u.month - 1]} {u.day}, {u.year}"
    return _s(f'<span class="Timestamp">{t}</span>', mark=t)


def en_wire_et(u):
    n = u.astimezone(NY)
    t = f"{AP_MONTHS[n.month - 1]} {n.day}, {n.year} {h12(n)} ET"
    return _s(f'<div class="updated-time"><span class="label">Updated</span> <span class="value">{t}</span></div>', mark=t)


def en_last_updated_uk(u):
    n = u.astimezone(LONDON)
    t = f"Last updated: {n.day} {EN_MONTHS[n.month - 1]} {n.year} {n:%H:%M} {n.tzname()}"
    return _s(f'<p class="last-updated">{t}</p>', mark=t, lang_tag="en-GB")


def en_byline_time(u):
    return _s(f'· Updated <time datetime="{iso(u)}">{AP_MONTHS[u.month - 1]} {u.day}</time>', in_byline=True)


def any_jsonld(u):
    return _s(ld=True)


def any_meta(u):
    return _s(head=f'<meta property="article:modified_time" content="{iso(u.astimezone(timezone(timedelta(hours=3))))}">')


def any_og(u):
    return _s(head=f'<meta property="og:updated_time" content="{iso(u)}">')


def any_microdata(u):
    return _s(f'<span itemprop="dateModified" content="{iso(u)}">{u.day} {EN_MONTHS[u.month - 1]} {u.year}</span>')


def en_sibling_us(u):
    n = u.astimezone(NY)
    t = f"{n:%m/%d/%Y} {n.hour % 12 or 12:02d}:{n.minute:02d} {'PM' if n.hour >= 12 else 'AM'} {n.tzname()}"
    return _s(f'<div class="dates"><span class="label">Updated</span><span class="value">{t}</span></div>',
              mark=t, lang_tag="en-US")


def en_epoch(u):
    return _s(f'<div class="page-meta"><span class="label">Updated</span> '
              f'<bsp-timestamp data-timestamp="{int(u.timestamp()) * 1000}"></bsp-timestamp></div>')


def en_icon(u):
    t = f"Updated: {u.day} {EN_MONTHS[u.month - 1][:3]} {u.year}, {u:%H:%M} GMT"
    return _s(f'<div class="meta"><i class="icon icon-clock"></i> {t}</div>', mark=t)


def en_two_lines(u):
    n = u.astimezone(NY)
    t = f"{EN_MONTHS[n.month - 1]} {n.day}, {n.year} at {h12(n, 'p.m.')} {n.tzname()}"
    return _s(f'<div class="article-date"><div>Last updated</div><div>{t}</div></div>', mark=t)


def en_relative_min(u):
    return _s('<span class="updated">Updated 14 min ago</span>', fetched=u + timedelta(minutes=14))


def en_relative_hours(u):
    return _s('<span class="updated">Updated 2 hours ago</span>', fetched=u + timedelta(hours=2))


def en_amp_timeago(u):
    return _s(f'<span class="upd">Updated</span> <amp-timeago datetime="{iso(u)}" layout="fixed" width="160" '
              f'height="20">3 hours ago</amp-timeago>')


def ar_gmt(u):
    t = f"تم التحديث: {u:%Y/%m/%d} الساعة {u:%H:%M} بتوقيت غرينتش"
    return _s(f'<span class="date-updated">{t}</span>', mark=t)


def ar_eastern_mecca(u):
    n = u.astimezone(ZoneInfo("Asia/Riyadh"))
    hm, ap = ar_h12(n)
    t = f"آخر تحديث: {n:%d/%m/%Y} - {hm} {ap} بتوقيت مكة المكرمة".translate(EASTERN)
    return _s(f'<div class="time">{t}</div>', mark=t)


def ar_levant(u):
    n = u.astimezone(ZoneInfo("Asia/Jerusalem"))
    t = f"تحديث: {AR_DAYS[n.weekday()]} {n.day} {LEVANT_MONTHS[n.month - 1]} {n.year} - {n:%H:%M} (بتوقيت القدس)"
    return _s(f'<p class="update-line">{t}</p>', mark=t)


def ar_icon(u):
    hm, ap = ar_h12(u)
    t = f"تم التحديث: {u.day} {EG_MONTHS[u.month - 1]} {u.year} - {hm} {ap} (ت.غ)"
    return _s(f'<div class="post-meta"><i class="fa fa-clock-o"></i> {t}</div>', mark=t)


def ar_sibling(u):
    n = u.astimezone(ZoneInfo("Africa/Cairo"))
    t = f"{n:%d-%m-%Y} {n:%H:%M} بتوقيت القاهرة"
    return _s(f'<div class="dates"><span class="lbl">آخر تحديث</span><span class="val">{t}</span></div>', mark=t)


def ar_relative(u):
    return _s('<span class="updated">آخر تحديث: منذ ساعتين</span>', fetched=u + timedelta(hours=2))


def ar_relative_min(u):
    return _s('<span class="updated">تم التحديث قبل 25 دقيقة</span>', fetched=u + timedelta(minutes=25))


def ar_epoch(u):
    return _s(f'<div class="info"><span>تم التحديث</span> <time-ago data-epoch="{int(u.timestamp())}"></time-ago></div>')


def ar_two_lines(u):
    hm, ap = ar_h12(u)
    t = f"{u.day} {EG_MONTHS[u.month - 1]} {u.year} {hm} {ap} بتوقيت غرينتش".translate(EASTERN)
    return _s(f'<div class="date">آخر تحديث<br>{t}</div>', mark=t)


def ar_maghreb(u):
    n = u.astimezone(ZoneInfo("Africa/Algiers"))
    t = f"آخر تحديث: {n.day} {MAGHREB_MONTHS[n.month - 1]} {n.year} على الساعة {n:%H:%M} بتوقيت الجزائر"
    return _s(f'<span class="maj">{t}</span>', mark=t)


def ar_byline_time(u):
    return _s(f'- آخر تحديث <time datetime="{iso(u)}">{u.day} {EG_MONTHS[u.month - 1]}</time>', in_byline=True)


SHAPES = {
    "en": [en_wire, en_wire_et, en_last_updated_uk, en_byline_time, any_jsonld, any_meta, any_og, any_microdata,
           en_sibling_us, en_epoch, en_icon, en_two_lines, en_relative_min, en_relative_hours, en_amp_timeago],
    "ar": [ar_gmt, ar_eastern_mecca, ar_levant, ar_icon, ar_sibling, ar_relative, ar_epoch, ar_two_lines,
           ar_maghreb, any_jsonld, any_meta, any_og, any_microdata, ar_relative_min, ar_byline_time],
}

# --- bylines and noise ------------------------------------------------------------------------------------


def byline_text(lang, authors, style):
    if lang == "en":
        names = " and ".join(authors) if style != "caps" else " and ".join(a.upper() for a in authors)
        return f"By {names}"
    lead = {"katab": "كتب", "biqalam": "بقلم:", "idad": "إعداد:"}.get(style, "كتب")
    return f"{lead} {' و'.join(authors)}"


def noise(lang, i):
    t = TEASERS[lang]
    if lang == "en":
        return dict(
            inline=f'<p><strong>Read also:</strong> <a href="/news/{i}1">{t[0]}</a></p>',
            related='<div class="related"><h3>Related stories</h3><ul>' + "".join(
                f'<li><a href="/news/{i}{k}">{x}</a></li>' for k, x in enumerate(t[1:])) + "</ul></div>",
            related_plain=f'<section><h4>More from {SITES[lang][i % 5]}</h4>' + "".join(
                f'<div class="card"><a href="/n/{i}{k}"><span>{x}</span></a></div>' for k, x in enumerate(t[1:])) + "</section>",
            counter=f'<div class="stats"><span class="views">{1234 + i * 17:,} views</span></div>',
            newsletter='<div class="newsletter-box"><h3>Sign up for our morning newsletter</h3>'
                       '<p>Get the day\'s top stories in your inbox every weekday.</p></div>',
            tags='<div class="post-tags">Tags: <a href="/tag/a">Floods</a>, <a href="/tag/b">Weather</a></div>',
            exclude=[t[0], t[1], t[2], f"{1234 + i * 17:,} views", "Sign up for our morning newsletter"])
    return dict(
        inline=f'<p><strong>اقرأ أيضاً:</strong> <a href="/news/{i}1">{t[0]}</a></p>',
        related='<div class="related-news"><h3>الأكثر قراءة</h3><ul>' + "".join(
            f'<li><a href="/news/{i}{k}">{x}</a></li>' for k, x in enumerate(t[1:])) + "</ul></div>",
        related_plain='<section><h4>أخبار ذات صلة</h4>' + "".join(
            f'<div class="card"><a href="/n/{i}{k}"><span>{x}</span></a></div>' for k, x in enumerate(t[1:])) + "</section>",
        counter=f'<div class="stats">عدد القراءات: {str(523 + i * 11).translate(EASTERN)}</div>',
        newsletter='<div class="newsletter-box"><h3>اشترك في النشرة البريدية</h3>'
                   '<p>احصل على أهم الأخبار في بريدك كل صباح.</p></div>',
        tags='<div class="post-tags">الوسوم: <a href="/tag/a">سيول</a> <a href="/tag/b">طقس</a></div>',
        exclude=[t[0], t[1], t[2], "عدد القراءات", "اشترك في النشرة البريدية"])


# --- markups ------------------------------------------------------------------------------------------------

def jsonld(kind, story, p, u, site, with_modified, authors_in_ld=True):
    d = {"@context": "https://schema.org", "@type": kind, "headline": story["title"],
         "datePublished": iso(p), "publisher": {"@type": "Organization", "name": site}}
    if with_modified:
        d["dateModified"] = iso(u)
    if authors_in_ld:
        d["author"] = [{"@type": "Person", "name": a} for a in story["authors"]]
    return f'<script type="application/ld+json">{json.dumps(d, ensure_ascii=False)}</script>'


def page(lang_tag, head, body, dir_="ltr"):
    return (f'<!DOCTYPE html>\n<html lang="{lang_tag}" dir="{dir_}"><head><meta charset="utf-8">{head}</head>'
            f'<body>{body}</body></html>\n')


def head_common(story, site, sep=" | "):
    return (f'<title>{e(story["title"])}{sep}{e(site)}</title><meta property="og:site_name" content="{e(site)}">'
            f'<meta property="og:title" content="{e(story["title"])}{sep}{e(site)}">')


def paras_html(story, n):
    return "".join(f"<p>{e(x)}</p>" for x in story["paras"][:3]) + n["inline"] + \
        "".join(f"<p>{e(x)}</p>" for x in story["paras"][3:])


def m_wordpress(lang, story, p, u, site, sh, n, i):
    authors = "".join(f'<span class="author vcard"><a class="url fn n" rel="author" href="/author/{k}/">{e(a)}</a></span>'
                      + (" and " if lang == "en" else " و") for k, a in enumerate(story["authors"]))
    authors = authors.rsplit(" and " if lang == "en" else " و", 1)[0]
    by = ("by " if lang == "en" else "بقلم ") + authors
    head = head_common(story, site, " &#8211; ") + f'<meta property="article:published_time" content="{iso(p)}">' + sh["head"]
    if sh["ld"]:
        head += jsonld("BlogPosting", story, p, u, site, True, False)
    body = (f'<header class="site-header"><p class="site-title"><a href="/" rel="home">{e(site)}</a></p>'
            f'<nav><a href="/">Home</a> <a href="/world">World</a></nav></header>'
            f'<main><article class="post type-post"><header class="entry-header"><h1 class="entry-title">{e(story["title"])}</h1>'
            f'<div class="entry-meta"><span class="posted-on"><time class="entry-date published" datetime="{iso(p)}">'
            f'{p:%B %d, %Y}</time></span> <span class="byline">{by} {sh["visible"] if sh["in_byline"] else ""}</span></div>'
            f'{"" if sh["in_byline"] else sh["visible"]}</header>'
            f'<div class="entry-content">{paras_html(story, n)}{n["tags"]}</div>'
            f'<footer class="entry-footer">{n["related"]}</footer></article></main>'
            f'<aside class="widget-area">{n["related_plain"]}</aside><footer>© {e(site)}</footer>')
    return head, body


def m_jsonld(lang, story, p, u, site, sh, n, i):
    head = (f'<title>{e(story["title"])} - {e(site)}</title><meta name="author" content="{e(site)}">' +
            jsonld("NewsArticle", story, p, u, site, sh["ld"]) + sh["head"])
    body = (f'<div id="top"><h1 class="logo"><a href="/">{e(site)}</a></h1></div><div id="app"><div class="story">'
            f'<div class="story-title">{e(story["title"])}</div>'
            f'<div class="story-meta">{sh["visible"]}</div>'
            + "".join(f'<div class="para">{e(x)}</div>' for x in story["paras"])
            + f'{n["counter"]}</div>{n["related_plain"]}</div>')
    return head, body


def m_wire(lang, story, p, u, site, sh, n, i):
    head = head_common(story, site) + f'<meta property="article:published_time" content="{iso(p)}">' + sh["head"]
    if sh["ld"]:
        head += jsonld("NewsArticle", story, p, u, site, True, False)
    by = byline_text(lang, story["authors"], "caps")
    body = (f'<div class="Page-header"><a class="Page-logo" href="/">{e(site)}</a></div><main><div class="Article">'
            f'<div class="CardHeadline"><h1 class="Page-headline">{e(story["title"])}</h1>'
            f'<div class="Page-byline"><span class="Page-authors">{e(by)}</span> {sh["visible"] if sh["in_byline"] else ""}</div>'
            f'{"" if sh["in_byline"] else sh["visible"]}</div>'
            f'<div class="RichTextStoryBody">{paras_html(story, n)}</div>'
            f'<div class="Page-actions">Share: Facebook Twitter Email</div></div>'
            f'<div class="PageList">{n["related"]}</div></main><footer>Copyright {p.year} {e(site)}. All rights reserved.</footer>')
    return head, body


def m_liveblog(lang, story, p, u, site, sh, n, i):
    d = {"@context": "https://schema.org", "@type": "LiveBlogPosting", "headline": story["title"],
         "datePublished": iso(p), "coverageStartTime": iso(p),
         "author": [{"@type": "Person", "name": a} for a in story["authors"]]}
    if sh["ld"]:
        d["dateModified"] = iso(u)
    head = head_common(story, site) + f'<script type="application/ld+json">{json.dumps(d, ensure_ascii=False)}</script>' + sh["head"]
    entries = "".join(f'<div class="live-entry"><div class="entry-time">{(p + timedelta(minutes=20 * k)):%H:%M}</div>'
                      f'<p>{e(x)}</p></div>' for k, x in enumerate(story["paras"]))
    body = (f'<header><a href="/" class="brand">{e(site)}</a></header><main><h1>{e(story["title"])}</h1>'
            f'<div class="live-meta"><span class="live-badge">LIVE</span> {sh["visible"]}</div>'
            f'<div class="live-feed">{entries}</div>{n["newsletter"]}</main><aside>{n["related"]}</aside>')
    return head, body


def m_cms_h1(lang, story, p, u, site, sh, n, i):
    head = f'<title>{e(site)} | {e(story["title"])}</title><meta name="description" content="{e(story["paras"][0][:120])}">' + sh["head"]
    if sh["ld"]:
        head += jsonld("NewsArticle", story, p, u, site, True, False)
    pub = (f"Posted on {EN_MONTHS[p.month - 1]} {p.day}, {p.year} {p:%H:%M} GMT" if lang == "en"
           else f"نشر في: {p:%Y/%m/%d} الساعة {p:%H:%M} بتوقيت غرينتش")
    by = byline_text(lang, story["authors"], "katab" if i % 2 else "biqalam")
    body = (f'<div id="header"><h1><a href="/"><img src="/logo.png" alt="{e(site)}">{e(site)}</a></h1></div>'
            f'<div id="content"><div class="news-item"><h2 class="news-title">{e(story["title"])}</h2>'
            f'<div class="writer">{e(by)} {sh["visible"] if sh["in_byline"] else ""}</div><div class="news-date">{pub}</div>'
            f'{"" if sh["in_byline"] else sh["visible"]}'
            f'<div class="news-text">{paras_html(story, n)}</div>{n["counter"]}{n["tags"]}</div>'
            f'<div class="block">{n["related_plain"]}</div></div>')
    return head, body


def m_table(lang, story, p, u, site, sh, n, i):
    head = f'<title>{e(story["title"])}</title>' + sh["head"]
    if sh["ld"]:
        head += jsonld("NewsArticle", story, p, u, site, True, False)
    pub = (f"Published: {EN_MONTHS[p.month - 1]} {p.day}, {p.year} {p:%H:%M} GMT" if lang == "en"
           else f"تاريخ النشر: {p:%d/%m/%Y} {p:%H:%M} بتوقيت غرينتش")
    by = byline_text(lang, story["authors"], "biqalam")
    rows = "".join(f'<tr><td class="text">{e(x)}</td></tr>' for x in story["paras"])
    body = (f'<table width="100%"><tr><td class="logo"><a href="/">{e(site)}</a></td></tr></table>'
            f'<table class="main" width="760"><tr><td class="title"><b>{e(story["title"])}</b></td></tr>'
            f'<tr><td class="author">{e(by)} {sh["visible"] if sh["in_byline"] else ""}</td></tr>'
            f'<tr><td class="date">{pub} {"" if sh["in_byline"] else sh["visible"]}</td></tr>{rows}'
            f'<tr><td>{n["counter"]}</td></tr></table>'
            f'<table><tr><td>{n["related"]}</td></tr></table>')
    return head, body


def m_amp(lang, story, p, u, site, sh, n, i):
    head = (f'<meta name="viewport" content="width=device-width"><link rel="canonical" href="/news/{i}">'
            f'<script async src="https://cdn.ampproject.org/v0.js"></script>' + head_common(story, site) +
            jsonld("NewsArticle", story, p, u, site, sh["ld"]) + sh["head"])
    by = byline_text(lang, story["authors"], "idad")
    body = (f'<header class="amp-header"><a href="/"><amp-img src="/logo.png" width="120" height="30" alt="{e(site)}"></amp-img></a></header>'
            f'<article class="amp-article"><h1 class="amp-title">{e(story["title"])}</h1>'
            f'<div class="amp-byline">{e(by)} {sh["visible"] if sh["in_byline"] else ""}</div>'
            f'{"" if sh["in_byline"] else sh["visible"]}'
            f'<amp-img src="/photo.jpg" width="600" height="400" layout="responsive"></amp-img>'
            f'<div class="amp-body">{paras_html(story, n)}</div>{n["newsletter"]}</article>'
            f'<amp-carousel>{n["related_plain"]}</amp-carousel>')
    return head, body


def m_br_body(lang, story, p, u, site, sh, n, i):
    head = head_common(story, site, " - ") + f'<meta property="article:published_time" content="{iso(p)}">' + sh["head"]
    if sh["ld"]:
        head += jsonld("NewsArticle", story, p, u, site, True, False)
    by = byline_text(lang, story["authors"], "katab")
    text = "<br><br>".join(e(x) for x in story["paras"])
    body = (f'<div class="top"><span class="sitename">{e(site)}</span></div><div class="container">'
            f'<h1 class="headline">{e(story["title"])}</h1>'
            f'<p class="byline">{e(by)} {sh["visible"] if sh["in_byline"] else ""}</p>{"" if sh["in_byline"] else sh["visible"]}'
            f'<div class="article-text">{text}</div>{n["tags"]}{n["counter"]}</div><div class="more">{n["related"]}</div>')
    return head, body


def m_microdata(lang, story, p, u, site, sh, n, i):
    head = head_common(story, site) + sh["head"]
    if sh["ld"]:
        head += jsonld("NewsArticle", story, p, u, site, True, False)
    authors = ", ".join(f'<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
                        f'<span itemprop="name">{e(a)}</span></span>' for a in story["authors"])
    body = (f'<nav><a href="/">{e(site)}</a></nav><div itemscope itemtype="https://schema.org/NewsArticle">'
            f'<h1 itemprop="headline">{e(story["title"])}</h1><div class="meta">{authors} '
            f'<time itemprop="datePublished" datetime="{iso(p)}">{p:%d.%m.%Y}</time> '
            f'{sh["visible"]}</div><div itemprop="articleBody">{paras_html(story, n)}</div>'
            f'{n["newsletter"]}</div><div class="sidebar">{n["related"]}</div>')
    return head, body


def m_meta_only(lang, story, p, u, site, sh, n, i):
    head = (head_common(story, site) + f'<meta property="article:published_time" content="{iso(p)}">'
            f'<meta name="author" content="{e(", ".join(story["authors"]))}">' + sh["head"])
    if sh["ld"]:
        head += jsonld("NewsArticle", story, p, u, site, True, False)
    body = (f'<div class="masthead"><h1 class="site-name">{e(site)}</h1></div><div class="page">'
            f'<h2 class="article-headline">{e(story["title"])}</h2>{sh["visible"]}'
            f'<div class="article-body">{paras_html(story, n)}</div>{n["counter"]}{n["related_plain"]}</div>')
    return head, body


MARKUPS = {"wordpress": m_wordpress, "jsonld_only": m_jsonld, "wire": m_wire, "liveblog": m_liveblog,
           "cms_site_h1": m_cms_h1, "table": m_table, "amp": m_amp, "br_body": m_br_body,
           "microdata": m_microdata, "meta_only": m_meta_only}


def build() -> list[dict]:
    truth = []
    counters = {"en": 0, "ar": 0}
    pages_dir = HERE / "pages"
    pages_dir.mkdir(exist_ok=True)
    for mi, (markup, make) in enumerate(MARKUPS.items()):
        for lang, stories in (("en", EN), ("ar", AR)):
            for j in range(3):
                k = counters[lang]
                counters[lang] += 1
                story = stories[(mi + j) % len(stories)]
                site = SITES[lang][(mi * 3 + j) % len(SITES[lang])]
                shape = SHAPES[lang][(k * 7) % len(SHAPES[lang])]      # 7 is prime to 15: every shape, spread
                p = datetime(2021, 1 + (k * 5) % 12, 2 + (k * 3) % 25, 5 + k % 12, (k * 7) % 60, tzinfo=UTC)
                u = p + timedelta(hours=1 + k % 5, minutes=13 + (k * 11) % 40)
                sh = shape(u)
                n = noise(lang, k)
                head, body = make(lang, story, p, u, site, sh, n, k)
                tag = sh["lang_tag"] or ("en" if lang == "en" else "ar")
                pid = f"{markup}-{lang}-{j + 1}"
                (pages_dir / f"{pid}.html").write_text(page(tag, head, body, "rtl" if lang == "ar" else "ltr"),
                                                       encoding="utf-8")
                exclude = list(n["exclude"]) + ([sh["mark"]] if sh["mark"] else []) + [site]
                truth.append(dict(id=pid, set="dev", markup=markup, lang=lang, shape=shape.__name__, site=site,
                                  url=f"https://{markup.replace('_', '-')}.example/{lang}/news/{k}",
                                  fetched_at=(sh["fetched"] or u + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                  title=story["title"], authors=story["authors"],
                                  published=p.strftime("%Y-%m-%dT%H:%M:00Z"), updated=u.strftime("%Y-%m-%dT%H:%M:00Z"),
                                  include=[story["paras"][0], story["paras"][-1]], exclude=exclude))
    path = HERE / "truth.json"
    others = [r for r in json.loads(path.read_text(encoding="utf-8")) if r.get("set", "dev") != "dev"] \
        if path.exists() else []                       # the fresh batch (fresh.py) is kept as it is
    path.write_text(json.dumps(truth + others, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return truth


if __name__ == "__main__":
    print(len(build()), "pages written to", HERE / "pages")
