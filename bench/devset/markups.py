"""The page templates of the development set: one function per markup convention, page data in, HTML out.

Each template follows how a family of real outlets writes its article pages, from public conventions
(WordPress themes, schema.org JSON-LD, wire-service story pages, AMP, live blogs, old table layouts),
so a rule tuned on one of them is tried on the others. Noise (related and most-read boxes, counters, tag
lists, newsletter boxes, inline "read also" teasers) is rendered from per-language pools, and differs
between the two sides of a pair the way it does between two fetches of a real page. Pure: no I/O.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from html import escape

AR_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
             "نوفمبر", "ديسمبر"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]

# Labels as outlets print them, per language.
LABELS = {
    "ar": {"related": "مواضيع ذات صلة", "read_also": "اقرأ أيضاً:", "most_read": "الأكثر قراءة",
           "tags": "الوسوم:", "views": "عدد القراءات: {n}", "comments": "{n} تعليق",
           "newsletter": "اشترك في النشرة البريدية لتصلك أهم الأخبار يومياً", "subscribe": "اشترك",
           "published": "نشر في", "updated": "آخر تحديث", "updated_colon": "تم التحديث:", "by": "بقلم",
           "menu": ["الرئيسية", "سياسة", "اقتصاد", "رياضة", "ثقافة"], "share": "شارك", "gmt": "بتوقيت غرينتش"},
    "en": {"related": "Related stories", "read_also": "Read also:", "most_read": "Most read",
           "tags": "Tags:", "views": "{n} views", "comments": "{n} comments",
           "newsletter": "Sign up for our daily newsletter to get the top stories in your inbox",
           "subscribe": "Subscribe", "published": "Published", "updated": "Updated",
           "updated_colon": "Last updated:", "by": "By", "menu": ["Home", "World", "Politics", "Business", "Sport"],
           "share": "Share", "gmt": "GMT"},
}

# Headlines for the noise boxes: each side of a pair shows a different window of these.
TEASERS = {
    "ar": ["الحكومة تعلن خطة جديدة لدعم المزارعين في الجنوب", "ارتفاع أسعار الذهب في الأسواق المحلية",
           "منتخب الشباب يتأهل إلى نصف النهائي بعد فوز مثير", "افتتاح معرض الكتاب بمشاركة مئات دور النشر",
           "البنك المركزي يبقي على أسعار الفائدة دون تغيير", "موجة حر تضرب المنطقة نهاية الأسبوع",
           "وزير التعليم يعلن موعد امتحانات نهاية العام", "توقيع اتفاقية لإنشاء محطة طاقة شمسية",
           "مهرجان السينما يكرم رواد الفن السابع", "تراجع معدلات البطالة في الربع الثالث"],
    "en": ["Central bank holds interest rates steady for a third month", "Heatwave expected to ease by the weekend",
           "City council approves new cycle lanes downtown", "Film festival opens with a record audience",
           "Shares rise as oil prices fall on supply hopes", "Schools prepare for the new exam timetable",
           "Ministers agree on a plan to build more homes", "Football club names new head coach",
           "Museum reopens after a two-year renovation", "Unemployment falls to its lowest level in a decade"],
}
TAGS = {"ar": ["سياسة", "أمن", "الشرق الأوسط", "عاجل", "تقارير", "صحة"],
        "en": ["World", "Security", "Middle East", "Breaking", "Health", "Analysis"]}


def _dt(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(timezone.utc)


def human_time(iso: str, lang: str, style: str = "long") -> str:
    """A stamp as pages print it, in GMT: "26 فبراير 2021 - 13:58 بتوقيت غرينتش", "February 26, 2021 1:58 PM GMT",
    or wire style "1:58 PM GMT, February 26, 2021"."""
    d = _dt(iso)
    if lang == "ar":
        return f"{d.day} {AR_MONTHS[d.month - 1]} {d.year} - {d:%H:%M} {LABELS['ar']['gmt']}"
    clock = f"{(d.hour % 12) or 12}:{d:%M} {'AM' if d.hour < 12 else 'PM'}"
    if style == "wire":
        return f"{clock} GMT, {EN_MONTHS[d.month - 1]} {d.day}, {d.year}"
    return f"{EN_MONTHS[d.month - 1]} {d.day}, {d.year} {clock} GMT"


def _noise(page: dict) -> dict:
    """The noise of one side: teaser windows shifted by `side` (0 old, 1 new), counters grown."""
    lang, side, kinds = page["lang"], page.get("side", 0), set(page.get("noise", ()))
    pool = TEASERS[lang]
    shift = 3 * side
    window = [pool[(i + shift) % len(pool)] for i in range(4)]
    return {"related": window if "related" in kinds else [],
            "most_read": list(reversed(window))[:3] if "most_read" in kinds else [],
            "read_also": pool[(7 + shift) % len(pool)] if "read_also" in kinds else None,
            "views": (1234 + 377 * side) if "counter" in kinds else None,
            "comments": (12 + 9 * side) if "counter" in kinds else None,
            "tags": TAGS[lang][side % 2: side % 2 + 4] if "tags" in kinds else [],
            "newsletter": "newsletter" in kinds}


def _e(text) -> str:
    return escape(str(text), quote=True)


def _head(page: dict, title_tag: str, extra: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="{page["lang"]}" dir="{"rtl" if page["lang"] == "ar" else "ltr"}">'
            f'<head><meta charset="utf-8"><title>{_e(title_tag)}</title>{extra}</head>')


def _updated_visible(page: dict, style: str = "long") -> str:
    """The update stamp as printed: a relative one ("منذ 3 دقائق") when the page gives it so."""
    if page.get("updated_rel"):
        return page["updated_rel"]
    return human_time(page["updated"], page["lang"], style) if page.get("updated") else ""


def _paras(page: dict, noise: dict, tag: str = "p") -> str:
    L = LABELS[page["lang"]]
    out = []
    for i, p in enumerate(page["paragraphs"]):
        out.append(f"<{tag}>{_e(p)}</{tag}>")
        if i == 1 and noise["read_also"]:
            out.append(f'<p class="read-also"><strong>{L["read_also"]}</strong> '
                       f'<a href="/news/{i}">{_e(noise["read_also"])}</a></p>')
    return "".join(out)


def _related(noise: dict, lang: str, cls: str = "related-posts") -> str:
    if not noise["related"]:
        return ""
    items = "".join(f'<li><a href="/story/{k}">{_e(t)}</a></li>' for k, t in enumerate(noise["related"]))
    return f'<section class="{cls}"><h3>{LABELS[lang]["related"]}</h3><ul>{items}</ul></section>'


def _most_read(noise: dict, lang: str) -> str:
    if not noise["most_read"]:
        return ""
    items = "".join(f'<li><a href="/top/{k}">{_e(t)}</a></li>' for k, t in enumerate(noise["most_read"]))
    return f'<div class="most-read"><h3>{LABELS[lang]["most_read"]}</h3><ol>{items}</ol></div>'


def _tags(noise: dict, lang: str) -> str:
    if not noise["tags"]:
        return ""
    links = " ".join(f'<a rel="tag" href="/tag/{k}">{_e(t)}</a>' for k, t in enumerate(noise["tags"]))
    return f'<div class="tags-links">{LABELS[lang]["tags"]} {links}</div>'


def _counters(noise: dict, lang: str) -> str:
    if noise["views"] is None:
        return ""
    L = LABELS[lang]
    views = L["views"].format(n=format(noise["views"], ","))
    return (f'<span class="post-views">{views}</span> '
            f'<span class="comments-count">{L["comments"].format(n=noise["comments"])}</span>')


def _newsletter(noise: dict, lang: str) -> str:
    if not noise["newsletter"]:
        return ""
    L = LABELS[lang]
    return (f'<div class="newsletter-box"><p>{L["newsletter"]}</p><form><input type="email">'
            f'<button>{L["subscribe"]}</button></form></div>')


def _menu(lang: str) -> str:
    return "<nav><ul>" + "".join(f'<li><a href="/s/{k}">{m}</a></li>' for k, m in enumerate(LABELS[lang]["menu"])) \
        + "</ul></nav>"


def _ld(page: dict, kind: str = "NewsArticle", authors_as_list: bool = True) -> str:
    obj = {"@context": "https://schema.org", "@type": kind, "headline": page["title"],
           "datePublished": page["published"], "inLanguage": page["lang"],
           "publisher": {"@type": "Organization", "name": page["site"]}}
    if page.get("updated") and not page.get("updated_rel"):
        obj["dateModified"] = page["updated"]
    if page.get("byline"):
        names = [n.strip() for n in page["byline"].replace(" و ", ",").replace(" and ", ",").split(",") if n.strip()]
        people = [{"@type": "Person", "name": n} for n in names]
        obj["author"] = people if authors_as_list else people[0]
    return f'<script type="application/ld+json">{json.dumps(obj, ensure_ascii=False)}</script>'


def wordpress(page: dict) -> str:
    """A WordPress theme (twentytwenty-like): entry-title, entry-meta with <time class="published/updated">,
    author vcard, entry-content, tags footer, Jetpack related posts, a popular-posts widget."""
    n, L, lang = _noise(page), LABELS[page["lang"]], page["lang"]
    meta = (f'<meta property="og:title" content="{_e(page["title"])}"><meta property="og:site_name" content="{_e(page["site"])}">'
            f'<meta property="article:published_time" content="{page["published"]}">')
    if page.get("updated") and not page.get("updated_rel"):
        meta += f'<meta property="article:modified_time" content="{page["updated"]}">'
    upd = ""
    if page.get("updated_rel"):
        upd = f'<span class="updated-ago">{L["updated"]} {_e(page["updated_rel"])}</span>'
    elif page.get("updated"):
        upd = f'<time class="updated" datetime="{page["updated"]}">{human_time(page["updated"], lang)}</time>'
    byline = (f'<span class="byline">{L["by"]} <span class="author vcard"><a class="url fn n" rel="author" '
              f'href="/author/a">{_e(page["byline"])}</a></span></span>') if page.get("byline") else ""
    return (_head(page, f'{page["title"]} – {page["site"]}', meta) +
            f'<body class="post-template-default single single-post"><header id="masthead" class="site-header">'
            f'<p class="site-title"><a href="/">{_e(page["site"])}</a></p>{_menu(lang)}</header>'
            f'<main id="main"><article class="post type-post status-publish"><header class="entry-header">'
            f'<h1 class="entry-title">{_e(page["title"])}</h1><div class="entry-meta"><span class="posted-on">'
            f'<time class="entry-date published" datetime="{page["published"]}">{human_time(page["published"], lang)}</time>'
            f' {upd}</span> {byline} {_counters(n, lang)}</div></header>'
            f'<div class="entry-content">{_paras(page, n)}{_newsletter(n, lang)}</div>'
            f'<footer class="entry-footer">{_tags(n, lang)}</footer></article>'
            f'{_related(n, lang, "jp-relatedposts")}</main>'
            f'<aside id="secondary" class="widget-area"><section class="widget widget_top-posts">{_most_read(n, lang)}'
            f'</section></aside><footer id="colophon"><p>© {_e(page["site"])}</p></footer></body></html>')


def jsonld_only(page: dict) -> str:
    """A page whose only machine-readable stamps and authors are in JSON-LD (every author in a list), with
    plain <div>s and no semantic classes around the story."""
    n, lang = _noise(page), page["lang"]
    return (_head(page, page["title"], _ld(page)) +
            f'<body><div class="wrap"><div class="top">{_e(page["site"])}{_menu(lang)}</div>'
            f'<div class="main"><div class="headline-block"><div class="hl">{_e(page["title"])}</div></div>'
            f'<div class="txt">{_paras(page, n)}</div>{_tags(n, lang)}'
            f'<div class="counters">{_counters(n, lang)}</div></div>'
            f'<div class="side">{_most_read(n, lang)}{_related(n, lang)}</div>{_newsletter(n, lang)}</div></body></html>')


def wire(page: dict) -> str:
    """A wire-service story page: "By" authors and a custom timestamp element carrying an epoch in a data-
    attribute with "Updated 1:58 PM GMT, February 26, 2021" as its text; only the published time in meta."""
    n, L, lang = _noise(page), LABELS[page["lang"]], page["lang"]
    meta = f'<meta property="article:published_time" content="{page["published"]}">'
    stamp = ""
    if page.get("updated_rel") or page.get("updated"):
        epoch = int(_dt(page["updated"]).timestamp() * 1000) if page.get("updated") and not page.get("updated_rel") else ""
        stamp = (f'<bsp-timestamp data-timestamp="{epoch}"><span class="Timestamp">{L["updated"]} '
                 f'{_e(_updated_visible(page, "wire"))}</span></bsp-timestamp>')
    byline = f'<span class="Page-authors">{L["by"]} <a href="/author/x">{_e(page["byline"])}</a></span>' \
        if page.get("byline") else ""
    return (_head(page, f'{page["title"]} | {page["site"]} News', meta) +
            f'<body><div class="Page-header">{_e(page["site"])}{_menu(lang)}</div><main class="Page-main">'
            f'<div class="Page-headline"><h1>{_e(page["title"])}</h1></div><div class="Page-byline">{byline} {stamp}</div>'
            f'<div class="RichTextStoryBody RichTextBody">{_paras(page, n)}</div>'
            f'<div class="PageList-items">{_related(n, lang, "PageList-related")}</div>{_tags(n, lang)}</main>'
            f'<div class="Page-aside">{_most_read(n, lang)}{_newsletter(n, lang)}</div></body></html>')


def liveblog(page: dict) -> str:
    """A live blog (schema.org LiveBlogPosting): entries newest first, each with its own <time>."""
    n, lang = _noise(page), page["lang"]
    entries = "".join(f'<div class="live-post"><div class="live-post-body"><p>{_e(p)}</p></div></div>'
                      for p in reversed(page["paragraphs"]))
    return (_head(page, page["title"], _ld(page, "LiveBlogPosting")) +
            f'<body><header>{_e(page["site"])}{_menu(lang)}</header><main><article>'
            f'<h1 class="live-title">{_e(page["title"])}</h1>'
            f'<div class="live-meta">{_e(_updated_visible(page))}</div>'
            f'<div class="live-feed">{entries}</div></article>{_related(n, lang)}</main>'
            f'<aside>{_most_read(n, lang)}</aside></body></html>')


def sitename_h1(page: dict) -> str:
    """A CMS that puts the site's name in <h1> (the logo) and the headline in <h2>; labels and their times
    in sibling spans ("Updated" <span>…</span>); og:site_name and a "| Site" title suffix."""
    n, L, lang = _noise(page), LABELS[page["lang"]], page["lang"]
    meta = (f'<meta property="og:site_name" content="{_e(page["site"])}">'
            f'<meta property="og:title" content="{_e(page["title"])}">')
    upd = (f'<span class="label">{L["updated"]}</span> <span class="date">{_e(_updated_visible(page))}</span>'
           if page.get("updated") or page.get("updated_rel") else "")
    by = f'<div class="author">{L["by"]} {_e(page["byline"])}</div>' if page.get("byline") else ""
    return (_head(page, f'{page["title"]} | {page["site"]}', meta) +
            f'<body><header class="masthead"><h1 class="logo"><a href="/">{_e(page["site"])}</a></h1>{_menu(lang)}</header>'
            f'<div class="article"><h2 class="headline">{_e(page["title"])}</h2>{by}<div class="meta">'
            f'<span class="label">{L["published"]}</span> <span class="date">{human_time(page["published"], lang)}</span> '
            f'{upd} {_counters(n, lang)}</div><div class="article-body">{_paras(page, n)}</div>{_tags(n, lang)}'
            f'{_newsletter(n, lang)}</div>{_related(n, lang)}<div class="sidebar">{_most_read(n, lang)}</div></body></html>')


def table_layout(page: dict) -> str:
    """An old table layout: the story in a <td>, paragraphs in <p> inside the cell, a most-read column."""
    n, L, lang = _noise(page), LABELS[page["lang"]], page["lang"]
    upd = f' | {L["updated"]}: {_e(_updated_visible(page))}' if page.get("updated") or page.get("updated_rel") else ""
    by = f'<tr><td class="by">{_e(page["byline"])}</td></tr>' if page.get("byline") else ""
    side = "".join(f'<tr><td><a href="/top/{k}">{_e(t)}</a></td></tr>' for k, t in enumerate(n["most_read"]))
    paras = "".join(f"<p>{_e(p)}</p>" for p in page["paragraphs"])
    return (_head(page, f'{page["site"]} - {page["title"]}') +
            f'<body><table width="100%" border="0"><tr><td colspan="2" class="banner">{_e(page["site"])}</td></tr>'
            f'<tr><td width="75%" valign="top"><table width="100%"><tr><td class="title"><font size="5"><b>'
            f'{_e(page["title"])}</b></font></td></tr>{by}<tr><td class="date"><font size="1">'
            f'{human_time(page["published"], lang)}{upd}</font></td></tr>'
            f'<tr><td class="text">{paras}</td></tr><tr><td>{_counters(n, lang)}</td></tr></table></td>'
            f'<td width="25%" valign="top"><table class="most-read"><tr><td><b>{L["most_read"]}</b></td></tr>{side}'
            f'</table></td></tr></table>{_related(n, lang)}</body></html>')


def amp(page: dict) -> str:
    """An AMP page: <html amp>, the AMP runtime, JSON-LD, <amp-img>, <amp-timeago>, a related carousel."""
    n, lang = _noise(page), page["lang"]
    extra = ('<script async src="https://cdn.ampproject.org/v0.js"></script><link rel="canonical" href="/a">'
             '<style amp-custom>body{font-family:sans-serif}</style>' + _ld(page))
    head = _head(page, page["title"], extra).replace("<html ", "<html amp ", 1)
    upd = (f'<amp-timeago datetime="{page.get("updated") or ""}" layout="fixed" width="160" height="20">'
           f'{_e(_updated_visible(page))}</amp-timeago>') if page.get("updated") or page.get("updated_rel") else ""
    by = f'<span class="amp-author">{_e(page["byline"])}</span>' if page.get("byline") else ""
    return (head + f'<body><header class="amp-header">{_e(page["site"])}</header><article class="amp-article">'
            f'<h1 class="amp-title">{_e(page["title"])}</h1><div class="amp-meta">{by} {upd}</div>'
            f'<amp-img src="/i.jpg" width="800" height="450" layout="responsive"></amp-img>'
            f'<div class="amp-content">{_paras(page, n)}</div>'
            f'<amp-social-share type="twitter"></amp-social-share></article>'
            f'{_related(n, lang, "amp-related")}{_tags(n, lang)}</body></html>')


def br_body(page: dict) -> str:
    """A page whose body is one block of text with <br><br> between paragraphs, and an icon before the
    update label (<i class="icon"></i> تم التحديث: …)."""
    n, L, lang = _noise(page), LABELS[page["lang"]], page["lang"]
    upd = (f'<div class="upd"><i class="fa fa-clock"></i> {L["updated_colon"]} {_e(_updated_visible(page))}</div>'
           if page.get("updated") or page.get("updated_rel") else "")
    by = f'<div class="writer">{L["by"]} {_e(page["byline"])}</div>' if page.get("byline") else ""
    body = "<br><br>".join(_e(p) for p in page["paragraphs"])
    return (_head(page, f'{page["title"]} - {page["site"]}') +
            f'<body><div id="top">{_e(page["site"])}{_menu(lang)}</div><div id="content">'
            f'<h1 class="news-title">{_e(page["title"])}</h1>{by}'
            f'<div class="pub">{L["published"]}: {human_time(page["published"], lang)}</div>{upd}'
            f'<div class="news-text">{body}</div><div class="stats">{_counters(n, lang)}</div>{_tags(n, lang)}</div>'
            f'<div class="left-col">{_most_read(n, lang)}{_related(n, lang)}{_newsletter(n, lang)}</div></body></html>')


MARKUPS = {"wordpress": wordpress, "jsonld_only": jsonld_only, "wire": wire, "liveblog": liveblog,
           "sitename_h1": sitename_h1, "table": table_layout, "amp": amp, "br_body": br_body}


def render(markup: str, page: dict) -> str:
    if markup not in MARKUPS:
        raise ValueError(f"unknown markup {markup!r}; known: {', '.join(sorted(MARKUPS))}")
    return MARKUPS[markup](page)
