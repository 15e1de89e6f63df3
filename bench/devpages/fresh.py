"""The first fresh batch of the development pages ("fresh1", now seen): 20 pages in 10 markups that
build.py does not write, each in English and Arabic, with new stories, sites and teasers. Written after
the extraction rules were tuned and scored once untouched (README, "Extraction"); the misses it found
were then fixed as general rules (docs: extract2), so it is no longer held out. fresh2.py is the next
untouched batch.

    python -m bench.devpages.fresh        (writes the "fresh1" rows of truth.json, keeps the others)

Markups, from how real outlets build their pages:
  wp_yoast      WordPress, a news theme with Yoast's JSON-LD @graph (the author is an @id reference to a
                Person node), "Last updated" in the post meta, related posts, a share bar
  arc           Arc XP: Fusion.globalContent JSON in a script, a display-date line with "Updated ... at",
                byline links to /people/, a "Most Read" rail
  nextjs        Next.js: hashed CSS-module class names, __NEXT_DATA__ JSON, <time> elements after labels
                in spans, a newsletter sign-up in the body
  amp_wp        the AMP plugin's legacy template (amp-wp-*), a relative <time> with a datetime
  drupal        Drupal 9 node (field--name-*), a field label "Last updated" and a <time> in the next div,
                a tags field
  time_spans    a wire layout that prints date, time and "Updated N hours ago" as spans inside one <time>
  ar_portal     an Egyptian portal: "كتب" writer line, the published time in Cairo time with neither label
                nor zone (as such portals print it: no page-level rule can know the zone), a views
                counter, "اقرأ أيضا" boxes between paragraphs (English: the same portal's English edition)
  gulf          a Gulf daily: "Published:" / "Updated:" with the zone named (GST, بتوقيت الإمارات)
  agency        a news agency: dotted dates (26.02.2021), "Updated" in a separate span after an icon
  microdata_tbl an older CMS: the article in a layout table with itemprop microdata, the byline in an
                itemprop=author meta
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from .build import AP_MONTHS, EASTERN, EG_MONTHS, EN_MONTHS, HERE, LEVANT_MONTHS, ar_h12, e, h12, iso, page

UTC = timezone.utc
AR_WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
EN_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

EN = [
    dict(title="Wildfire near coastal town forces evacuation of 2,000 residents",
         authors=["Priya Nair"],
         paras=["A fast-moving wildfire on the hills above the coastal town forced about 2,000 residents to leave their homes overnight, fire officials said on Saturday.",
                "Strong winds pushed the flames towards the eastern suburbs, where three houses and a warehouse were destroyed before crews could contain the front.",
                "No deaths were reported, but two firefighters were treated in hospital for smoke inhalation, the regional fire service said in a statement.",
                "Schools in the area will stay closed on Monday, and the main coastal road remains shut between the harbour and the northern junction."]),
    dict(title="Teachers' union calls nationwide strike over pay",
         authors=["Daniel Okafor", "Emma Clarke"],
         paras=["The country's largest teachers' union has called a nationwide strike for next Thursday after talks with the education ministry over pay broke down.",
                "Union leaders said the government's offer of a four percent rise fell far short of the increase in living costs over the past two years.",
                "The education minister said the strike would hurt pupils preparing for exams and urged the union to return to the negotiating table.",
                "Parents' groups said many families would struggle to find childcare at short notice if schools closed for the day."]),
    dict(title="New metro line opens after decade of delays",
         authors=["Hiroshi Tanaka"],
         paras=["The city's long-awaited metro line opened to passengers on Sunday, ten years after construction began and four years behind schedule.",
                "The 18-kilometre line links the airport with the central station and is expected to carry 120,000 passengers a day once fully running.",
                "The mayor said the project had cost far more than planned but would cut journey times across the city by as much as half.",
                "Critics pointed out that two of the fourteen stations are still unfinished and will open only next year."]),
    dict(title="Earthquake of magnitude 6.1 shakes mountain region",
         authors=["Selin Kaya", "Marco Rossi"],
         paras=["An earthquake of magnitude 6.1 struck the mountain region early on Wednesday, damaging dozens of buildings in villages near the epicentre.",
                "At least seven people were killed and 85 injured, the disaster management agency said, adding that rescue teams were still reaching remote areas.",
                "The tremor was felt in the provincial capital, where residents ran into the streets and spent the rest of the night outside.",
                "Seismologists said aftershocks were likely over the coming days and advised people not to return to damaged homes."]),
    dict(title="Drought pushes grain prices to record high",
         authors=["Fatima Zahra"],
         paras=["Wheat prices on the national commodities exchange rose to a record high on Tuesday as a second year of drought cut the expected harvest.",
                "The agriculture ministry now forecasts a crop of 2.8 million tonnes, down from 4.1 million in its estimate at the start of the season.",
                "Bakers' associations warned that the price of bread could rise by a fifth within weeks unless the government increased subsidies.",
                "The government said it had signed contracts to import grain from three countries and would release part of its strategic reserve."]),
]

AR = [
    dict(title="حريق غابات قرب مدينة ساحلية يجبر 2000 شخص على إخلاء منازلهم",
         authors=["نادية خليل"],
         paras=["أجبر حريق غابات سريع الانتشار في التلال المطلة على المدينة الساحلية نحو ألفي شخص على مغادرة منازلهم خلال الليل، بحسب ما أعلن الدفاع المدني يوم السبت.",
                "ودفعت الرياح القوية ألسنة اللهب نحو الأحياء الشرقية، حيث دمرت ثلاثة منازل ومستودع قبل أن تتمكن الفرق من احتواء الحريق.",
                "ولم تسجل أي وفيات، لكن اثنين من رجال الإطفاء نقلا إلى المستشفى بعد استنشاقهما الدخان، وفق بيان الدفاع المدني.",
                "وستبقى المدارس في المنطقة مغلقة يوم الاثنين، فيما لا يزال الطريق الساحلي الرئيسي مغلقاً بين الميناء والتقاطع الشمالي."]),
    dict(title="نقابة المعلمين تدعو إلى إضراب عام احتجاجاً على الأجور",
         authors=["عمر الشريف", "هالة مراد"],
         paras=["دعت أكبر نقابة للمعلمين في البلاد إلى إضراب عام يوم الخميس المقبل بعد انهيار المفاوضات مع وزارة التربية بشأن الأجور.",
                "وقال قادة النقابة إن عرض الحكومة بزيادة نسبتها أربعة في المئة لا يقترب من ارتفاع تكاليف المعيشة خلال العامين الماضيين.",
                "وقال وزير التربية إن الإضراب سيضر بالطلاب الذين يستعدون للامتحانات، ودعا النقابة إلى العودة إلى طاولة التفاوض.",
                "وقالت جمعيات أولياء الأمور إن كثيراً من الأسر ستجد صعوبة في تدبير رعاية أطفالها إذا أغلقت المدارس ليوم كامل."]),
    dict(title="افتتاح خط المترو الجديد بعد عقد من التأخير",
         authors=["طارق عبد الله"],
         paras=["افتتح خط المترو الذي طال انتظاره أمام الركاب يوم الأحد، بعد عشر سنوات من بدء أعمال البناء وبتأخير أربع سنوات عن الموعد المقرر.",
                "ويربط الخط البالغ طوله 18 كيلومتراً المطار بالمحطة المركزية، ومن المتوقع أن ينقل 120 ألف راكب يومياً عند تشغيله بالكامل.",
                "وقال رئيس البلدية إن كلفة المشروع تجاوزت المخطط لها بكثير، لكنه سيختصر زمن التنقل في المدينة إلى النصف.",
                "وأشار منتقدون إلى أن محطتين من أصل أربع عشرة محطة لم تكتملا بعد ولن تفتتحا قبل العام المقبل."]),
    dict(title="زلزال بقوة 6.1 درجات يضرب منطقة جبلية",
         authors=["رنا العلي", "سامر حداد"],
         paras=["ضرب زلزال بقوة 6.1 درجات المنطقة الجبلية فجر الأربعاء، وألحق أضراراً بعشرات المباني في القرى القريبة من مركزه.",
                "وقالت هيئة إدارة الكوارث إن سبعة أشخاص على الأقل قتلوا وأصيب 85 آخرون، مضيفة أن فرق الإنقاذ ما زالت تحاول الوصول إلى المناطق النائية.",
                "وشعر السكان بالهزة في مركز المحافظة، حيث خرجوا إلى الشوارع وأمضوا بقية الليل في العراء.",
                "وقال علماء الزلازل إن هزات ارتدادية مرجحة خلال الأيام المقبلة، ونصحوا السكان بعدم العودة إلى المنازل المتضررة."]),
    dict(title="الجفاف يدفع أسعار الحبوب إلى مستوى قياسي",
         authors=["يوسف بن علي"],
         paras=["ارتفعت أسعار القمح في بورصة السلع الوطنية إلى مستوى قياسي يوم الثلاثاء مع تسبب عام ثان من الجفاف في تقليص المحصول المتوقع.",
                "وتتوقع وزارة الزراعة الآن محصولاً قدره 2.8 مليون طن، بعد أن قدرته بـ4.1 مليون طن في بداية الموسم.",
                "وحذرت جمعيات الخبازين من أن سعر الخبز قد يرتفع بمقدار الخمس خلال أسابيع ما لم تزد الحكومة الدعم.",
                "وقالت الحكومة إنها وقعت عقوداً لاستيراد الحبوب من ثلاث دول وستفرج عن جزء من مخزونها الاستراتيجي."]),
]

TEASERS = {
    "en": ["Council approves new cycle lanes for the city centre", "How to protect your home from flooding this winter",
           "Local bakery wins national award for its sourdough", "Opinion: the quiet crisis in rural clinics"],
    "ar": ["المجلس البلدي يقر مسارات جديدة للدراجات في وسط المدينة", "كيف تحمي منزلك من الفيضانات هذا الشتاء",
           "مخبز محلي يفوز بجائزة وطنية", "رأي: الأزمة الصامتة في عيادات الأرياف"],
}
SITES = {"en": ["Harbour Post", "The Evening Ledger", "Capital Dispatch", "Valley Chronicle", "Bay Tribune"],
         "ar": ["بوابة النهار", "المرصد الإخباري", "الساحل نيوز", "جريدة الضحى", "وكالة الأنباء المستقلة"]}


def ldjson(d) -> str:
    return f'<script type="application/ld+json">{json.dumps(d, ensure_ascii=False)}</script>'


def teaser_list(lang, cls, heading, i):
    t = TEASERS[lang]
    return (f'<div class="{cls}"><h3>{heading}</h3><ul>' +
            "".join(f'<li><a href="/story/{i}{k}">{e(x)}</a></li>' for k, x in enumerate(t[1:])) + "</ul></div>")


def ps(paras, cls=""):
    c = f' class="{cls}"' if cls else ""
    return "".join(f"<p{c}>{e(x)}</p>" for x in paras)


# --- markups: (lang, story, p, u, site, i) -> head, body, tag, updated_truth, fetched, exclude ----------------

def m_wp_yoast(lang, s, p, u, site, i):
    base = f"https://{'harbour' if lang == 'en' else 'alnahar'}.example"
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "@id": f"{base}/{i}/#article", "headline": s["title"], "datePublished": iso(p),
         "dateModified": iso(u), "author": {"@id": f"{base}/#/schema/person/{i}"},
         "publisher": {"@id": f"{base}/#organization"}, "isPartOf": {"@id": f"{base}/{i}/"}},
        {"@type": "WebPage", "@id": f"{base}/{i}/", "name": f"{s['title']} - {site}", "datePublished": iso(p)},
        {"@type": "Organization", "@id": f"{base}/#organization", "name": site},
        {"@type": "Person", "@id": f"{base}/#/schema/person/{i}", "name": s["authors"][0]}]}
    lu = (f"Last updated: {EN_MONTHS[u.month - 1]} {u.day}, {u.year} {h12(u)}" if lang == "en"
          else f"آخر تحديث: {u.day} {EG_MONTHS[u.month - 1]} {u.year} - {ar_h12(u)[0]} {ar_h12(u)[1]}")
    head = (f'<title>{e(s["title"])} - {e(site)}</title><meta property="og:site_name" content="{e(site)}">'
            f'<meta property="og:title" content="{e(s["title"])}">' + ldjson(graph))
    share = "Share on Facebook Share on X WhatsApp" if lang == "en" else "فيسبوك تويتر واتساب"
    related = teaser_list(lang, "related-posts", "Related Posts" if lang == "en" else "مقالات ذات صلة", i)
    body = (f'<div id="tie-wrapper"><header id="theme-header"><div class="logo"><a href="/"><img src="/logo.png" alt="{e(site)}"></a></div>'
            f'<nav class="main-nav"><a href="/">Home</a><a href="/news">News</a></nav></header>'
            f'<div class="container"><article id="the-post" class="post-listing post">'
            f'<header class="entry-header-outer"><div class="entry-header"><h1 class="post-title entry-title">{e(s["title"])}</h1>'
            f'<div class="single-post-meta post-meta"><span class="author-meta single-author"><span class="meta-author">'
            f'<a href="/author/{i}/" class="author-name tie-icon">{e(s["authors"][0])}</a></span></span>'
            f'<span class="date meta-item tie-icon">{p.day:02d}/{p.month:02d}/{p.year}</span>'
            f'<span class="meta-item last-updated">{lu}</span></div></div></header>'
            f'<div class="share-buttons">{share}</div>'
            f'<div class="entry-content entry clearfix">{ps(s["paras"])}</div></article>{related}</div>'
            f'<footer id="footer"><p>© {p.year} {e(site)}</p></footer></div>')
    tz_note = None  # naive printed time: the JSON-LD dateModified (with zone) is the truth
    return head, body, ("en-US" if lang == "en" else "ar"), u, None, [TEASERS[lang][1], TEASERS[lang][2], share, lu, tz_note]


def m_arc(lang, s, p, u, site, i):
    ny = u.astimezone(ZoneInfo("America/New_York"))
    shown = (f"Updated {EN_MONTHS[ny.month - 1]} {ny.day}, {ny.year} at {h12(ny, 'p.m.')} {ny.tzname()}" if lang == "en"
             else f"تحديث {ny.day} {EG_MONTHS[ny.month - 1]} {ny.year} الساعة {ny:%H:%M} بتوقيت نيويورك")
    fusion = {"_id": f"ABC{i}", "type": "story", "headlines": {"basic": s["title"]},
              "first_publish_date": iso(p), "last_updated_date": iso(u),
              "credits": {"by": [{"name": a, "type": "author"} for a in s["authors"]]},
              "content_elements": [{"type": "text", "content": x} for x in s["paras"]]}
    head = (f'<title>{e(s["title"])} - {e(site)}</title><meta property="og:site_name" content="{e(site)}">'
            f'<meta property="og:title" content="{e(s["title"])}">'
            f'<meta property="article:published_time" content="{iso(p)}">'
            f'<script id="fusion-metadata" type="application/javascript">window.Fusion=window.Fusion||{{}};'
            f'Fusion.globalContent={json.dumps(fusion, ensure_ascii=False)};</script>')
    by = " and ".join(f'<a href="/people/{k}/" class="byline-link">{e(a)}</a>' for k, a in enumerate(s["authors"]))
    lead = "By " if lang == "en" else "بقلم "
    rail = teaser_list(lang, "most-read-rail", "Most Read" if lang == "en" else "الأكثر قراءة", i)
    body = (f'<div id="fusion-app"><header class="site-header"><a href="/" class="site-logo" aria-label="{e(site)}">'
            f'<svg></svg></a></header><main><div class="article-header"><h1 class="headline" data-qa="headline">'
            f'{e(s["title"])}</h1><div class="byline" data-qa="author-name">{lead}{by}</div>'
            f'<div class="display-date" data-qa="display-date">{shown}</div></div>'
            f'<article class="article-body">{ps(s["paras"][:2], "article-body-text")}'
            f'<div class="interstitial-link"><a href="/story/{i}9">{e(TEASERS[lang][0])}</a></div>'
            f'{ps(s["paras"][2:], "article-body-text")}</article>{rail}</main></div>')
    return head, body, ("en" if lang == "en" else "ar"), u, None, [TEASERS[lang][0], TEASERS[lang][1], shown]


def m_nextjs(lang, s, p, u, site, i):
    data = {"props": {"pageProps": {"article": {"title": s["title"], "authors": s["authors"], "publishedAt": iso(p),
                                                 "updatedAt": iso(u), "body": s["paras"]}}}, "page": "/[section]/[slug]"}
    head = (f'<title>{e(s["title"])} | {e(site)}</title><meta name="og:site_name" content="{e(site)}">'
            f'<meta property="og:title" content="{e(s["title"])} | {e(site)}">')
    pl, ul = ("Published", "Updated") if lang == "en" else ("نشر في", "تم التحديث")
    letter = ('<div class="Newsletter_box__k2Lq0"><p class="Newsletter_title__1xYzA">Sign up for the Morning Briefing</p>'
              '<input type="email"><button>Subscribe</button></div>') if lang == "en" else (
              '<div class="Newsletter_box__k2Lq0"><p class="Newsletter_title__1xYzA">اشترك في النشرة الصباحية</p>'
              '<input type="email"><button>اشترك</button></div>')
    authors = (" and " if lang == "en" else " و").join(
        f'<a class="Byline_author__9sQ2d" href="/authors/{k}">{e(a)}</a>' for k, a in enumerate(s["authors"]))
    body = (f'<div id="__next"><header class="Header_root__2Jx8f"><a class="Header_logo__3nM1a" href="/">{e(site)}</a></header>'
            f'<main class="Layout_main__7Ds1q"><div class="ArticleHeader_root__1bTnQ">'
            f'<h1 class="ArticleHeader_headline__3cF1a">{e(s["title"])}</h1>'
            f'<div class="Byline_root__0kq3F">{"By " if lang == "en" else "كتب "}{authors}</div>'
            f'<div class="ArticleHeader_dates__4fGh2"><span class="ArticleHeader_label__x1">{pl}</span>'
            f'<time datetime="{iso(p)}">{p.day} {(EN_MONTHS if lang == "en" else EG_MONTHS)[p.month - 1]}</time>'
            f'<span class="ArticleHeader_label__x1">{ul}</span><time datetime="{iso(u)}">{u:%H:%M}</time></div></div>'
            f'<div class="ArticleBody_body__9mXSt">{ps(s["paras"][:3])}{letter}{ps(s["paras"][3:])}</div></main>'
            f'<footer class="Footer_root__q1w2e">{e(site)}</footer></div>'
            f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data, ensure_ascii=False)}</script>')
    ex = ["Sign up for the Morning Briefing" if lang == "en" else "اشترك في النشرة الصباحية"]
    return head, body, ("en" if lang == "en" else "ar"), u, None, ex


def m_amp_wp(lang, s, p, u, site, i):
    fetched = u + timedelta(hours=3)
    ld = {"@context": "http://schema.org", "@type": "BlogPosting", "headline": s["title"], "datePublished": iso(p),
          "dateModified": iso(u), "author": {"@type": "Person", "name": s["authors"][0]},
          "publisher": {"@type": "Organization", "name": site}}
    head = (f'<meta name="viewport" content="width=device-width,minimum-scale=1"><title>{e(s["title"])} &#8211; {e(site)}</title>'
            f'<link rel="canonical" href="/{i}/">' + ldjson(ld) + '<style amp-custom>.amp-wp-article{margin:0}</style>')
    ago = "3 hours ago" if lang == "en" else "منذ 3 ساعات"
    body = (f'<header id="top" class="amp-wp-header"><div><a href="/">{e(site)}</a></div></header>'
            f'<article class="amp-wp-article"><header class="amp-wp-article-header"><h1 class="amp-wp-title">{e(s["title"])}</h1>'
            f'<div class="amp-wp-meta amp-wp-byline"><amp-img src="/a.jpg" width="24" height="24" layout="fixed"></amp-img>'
            f'<span class="amp-wp-author author vcard">{e(s["authors"][0])}</span></div>'
            f'<div class="amp-wp-meta amp-wp-posted-on"><time datetime="{iso(u)}">{ago}</time></div></header>'
            f'<div class="amp-wp-article-content">{ps(s["paras"])}</div>'
            f'<footer class="amp-wp-article-footer"><div class="amp-wp-meta amp-wp-tax-tag">'
            f'{"Tags:" if lang == "en" else "الوسوم:"} <a href="/tag/a">{"fire" if lang == "en" else "حرائق"}</a></div></footer></article>'
            f'<footer class="amp-wp-footer"><p>&copy; {e(site)}</p><a href="#top" class="back-to-top">Back to top</a></footer>')
    return head, body, ("en" if lang == "en" else "ar"), u, fetched, [ago, "Back to top"]


def m_drupal(lang, s, p, u, site, i):
    lbl_u, lbl_t = ("Last updated", "Tags") if lang == "en" else ("آخر تحديث", "الوسوم")
    # Drupal's "medium" date format, in the site's zone (UTC here): month first in English, day first in Arabic
    shown_u = f"{u:%a, %m/%d/%Y - %H:%M}" if lang == "en" else f"{u:%d/%m/%Y - %H:%M}"
    head = (f'<title>{e(s["title"])} | {e(site)}</title><meta name="Generator" content="Drupal 9">'
            f'<meta property="og:site_name" content="{e(site)}"><meta property="og:title" content="{e(s["title"])}">'
            f'<meta property="article:published_time" content="{iso(p)}">')
    tags = "".join(f'<div class="field__item"><a href="/taxonomy/term/{k}">{t}</a></div>'
                   for k, t in enumerate(["Weather", "Emergency"] if lang == "en" else ["طقس", "طوارئ"]))
    related = teaser_list(lang, "view-related-content", "Related content" if lang == "en" else "محتوى ذو صلة", i)
    body = (f'<div class="dialog-off-canvas-main-canvas"><header role="banner"><div class="site-branding">'
            f'<a href="/" rel="home" class="site-branding__name">{e(site)}</a></div></header>'
            f'<main role="main"><article class="node node--type-article node--view-mode-full">'
            f'<h1 class="page-title"><span class="field field--name-title field--type-string">{e(s["title"])}</span></h1>'
            f'<div class="field field--name-field-author field--type-entity-reference field--label-hidden field__item">'
            f'{e(" و".join(s["authors"]) if lang == "ar" else " and ".join(s["authors"]))}</div>'
            f'<div class="field field--name-field-last-updated field--label-inline"><div class="field__label">{lbl_u}</div>'
            f'<div class="field__item">{shown_u}</div></div>'
            f'<div class="clearfix text-formatted field field--name-body field--type-text-with-summary field__item">'
            f'{ps(s["paras"])}</div><div class="field field--name-field-tags field--type-entity-reference">'
            f'<div class="field__label">{lbl_t}</div><div class="field__items">{tags}</div></div></article>{related}</main>'
            f'<footer role="contentinfo">{e(site)}</footer></div>')
    return head, body, ("en" if lang == "en" else "ar"), u, None, [TEASERS[lang][1], TEASERS[lang][2], shown_u]


def m_time_spans(lang, s, p, u, site, i):
    fetched = u + timedelta(hours=2)
    pub_day = (f"{EN_MONTHS[p.month - 1]} {p.day}, {p.year}" if lang == "en" else f"{p.day} {EG_MONTHS[p.month - 1]} {p.year}")
    pub_time = f"{h12(p)} GMT" if lang == "en" else f"{p:%H:%M} بتوقيت غرينتش"
    upd = "Updated 2 hours ago" if lang == "en" else "تم التحديث منذ ساعتين"
    head = (f'<title>{e(s["title"])} | {e(site)}</title><meta property="og:title" content="{e(s["title"])}">'
            f'<meta property="og:site_name" content="{e(site)}"><meta name="author" content="{e(", ".join(s["authors"]))}">')
    by = (f"By {' and '.join(s['authors'])}" if lang == "en" else f"كتب {' و'.join(s['authors'])}")
    body = (f'<div class="site-header"><a href="/" class="logo">{e(site)}</a></div><main><article>'
            f'<header><h1 data-testid="Heading">{e(s["title"])}</h1><div data-testid="AuthorByline">{e(by)}</div>'
            f'<time data-testid="Body"><span>{pub_day}</span><span>{pub_time}</span><span>{upd}</span></time></header>'
            f'<div data-testid="paragraph-0">{e(s["paras"][0])}</div>'
            + "".join(f'<div data-testid="paragraph-{k}">{e(x)}</div>' for k, x in enumerate(s["paras"][1:], 1))
            + f'</article><div data-testid="Recirculation">{teaser_list(lang, "recirc", "Read Next" if lang == "en" else "اقرأ التالي", i)}</div>'
            f'</main>')
    return head, body, ("en" if lang == "en" else "ar"), u, fetched, [TEASERS[lang][1], upd, pub_time]


def m_ar_portal(lang, s, p, u, site, i):
    cairo = p.astimezone(ZoneInfo("Africa/Cairo"))
    hm, ap = ar_h12(cairo)
    date = (f"{AR_WEEKDAYS[cairo.weekday()]}، {cairo.day:02d} {EG_MONTHS[cairo.month - 1]} {cairo.year} {hm} {ap}" if lang == "ar"
            else f"{EN_WEEKDAYS[cairo.weekday()]} {cairo.day:02d} {EN_MONTHS[cairo.month - 1][:3]} {cairo.year} {h12(cairo)}")
    views = f"{3412 + i * 7:,}" if lang == "en" else str(3412 + i * 7).translate(EASTERN)
    head = (f'<title>{e(s["title"])} - {e(site)}</title><meta name="description" content="{e(s["paras"][0][:100])}">'
            f'<meta property="og:title" content="{e(s["title"])}"><meta property="og:site_name" content="{e(site)}">'
            f'<meta property="article:modified_time" content="{iso(u)}">')
    writer = (f"كتب {' و'.join(s['authors'])}" if lang == "ar" else f"Written By: {' and '.join(s['authors'])}")
    also = "اقرأ أيضا" if lang == "ar" else "Read also"
    box = f'<div class="readAlso"><span>{also}</span><a href="/News/{i}1">{e(TEASERS[lang][0])}</a></div>'
    counter = (f'<span class="views"><i class="icon-eye"></i> {views} مشاهدة</span>' if lang == "ar"
               else f'<span class="views"><i class="icon-eye"></i> {views} views</span>')
    body = (f'<div class="header"><div class="logo"><a href="/"><img alt="{e(site)}" src="/logo.png"></a></div></div>'
            f'<div class="container"><div class="articleCont"><div class="articleHeader"><h1>{e(s["title"])}</h1></div>'
            f'<div class="writeBy">{e(writer)}</div><div class="newsStoryDate">{date}</div>{counter}'
            f'<div id="articleBody" class="articleBody">{ps(s["paras"][:2])}{box}{ps(s["paras"][2:])}</div>'
            f'<div class="tags">{"الكلمات المتعلقة:" if lang == "ar" else "Keywords:"} <a href="/Tags/1">{e(site)}</a></div>'
            f'</div><div class="sideBar">{teaser_list(lang, "mostRead", "الأكثر قراءة" if lang == "ar" else "Most Read", i)}</div></div>')
    return head, body, lang, u, None, [TEASERS[lang][0], TEASERS[lang][2], views, also]


def m_gulf(lang, s, p, u, site, i):
    gp, gu = p.astimezone(ZoneInfo("Asia/Dubai")), u.astimezone(ZoneInfo("Asia/Dubai"))
    if lang == "en":
        pub = f"Published: {AP_MONTHS[gp.month - 1]} {gp.day}, {gp.year}, {h12(gp)} GST"
        upd = f"Updated: {AP_MONTHS[gu.month - 1]} {gu.day}, {gu.year}, {h12(gu)} GST"
    else:
        pub = f"تاريخ النشر: {gp.day} {EG_MONTHS[gp.month - 1]} {gp.year} {gp:%H:%M} بتوقيت الإمارات"
        upd = f"آخر تحديث: {gu.day} {EG_MONTHS[gu.month - 1]} {gu.year} {gu:%H:%M} بتوقيت الإمارات"
    head = f'<title>{e(s["title"])} | {e(site)}</title><meta property="og:site_name" content="{e(site)}">'
    by = "".join(f'<span class="author-name"><a href="/author/{k}">{e(a)}</a></span>' for k, a in enumerate(s["authors"]))
    body = (f'<header class="masthead"><h1 class="brand"><a href="/">{e(site)}</a></h1></header>'
            f'<div class="story-wrap"><h2 class="story-headline">{e(s["title"])}</h2><div class="story-authors">{by}</div>'
            f'<div class="story-dates"><p>{pub}</p><p>{upd}</p></div><div class="story-text">{ps(s["paras"])}</div>'
            f'<div class="newsletter-cta"><p>{"Get the latest news in your inbox" if lang == "en" else "تابعونا على واتساب للحصول على آخر الأخبار"}</p></div>'
            f'</div><aside>{teaser_list(lang, "trending", "Trending" if lang == "en" else "الأكثر تداولاً", i)}</aside>')
    return head, body, ("en-AE" if lang == "en" else "ar"), u, None, [pub, upd, TEASERS[lang][1]]


def m_agency(lang, s, p, u, site, i):
    lp, lu = p, u                      # printed in GMT, as international agency desks do
    head = (f'<title>{e(s["title"])}</title><meta property="og:title" content="{e(s["title"])}">'
            f'<meta name="author" content="{e(site)}"><meta property="og:site_name" content="{e(site)}">')
    cities = "ANKARA" if lang == "en" else "أنقرة"
    upd_lbl = "Updated" if lang == "en" else "تحديث"
    body = (f'<div class="navbar"><a class="navbar-brand" href="/">{e(site)}</a></div><div class="detay-icerik">'
            f'<h1>{e(s["title"])}</h1><div class="detay-spot-category">'
            f'<span class="tarih">{lp:%d.%m.%Y} {lp:%H:%M} GMT</span> <span class="guncelleme"><i class="fa fa-refresh"></i>'
            f'<span class="lbl">{upd_lbl}:</span> <span>{lu:%d.%m.%Y} {lu:%H:%M} GMT</span></span></div>'
            f'<div class="detay-muhabir">{e(" , ".join(s["authors"]))}</div>'
            f'<div class="detay-metin"><p>{cities} ({e(site)}) - {e(s["paras"][0])}</p>{ps(s["paras"][1:])}</div>'
            f'<div class="detay-paylas">{"Share" if lang == "en" else "شارك"}</div></div>'
            f'<div class="ilgili-haberler">{teaser_list(lang, "ilgili", "Related news" if lang == "en" else "أخبار ذات صلة", i)}</div>')
    return head, body, lang, u, None, [TEASERS[lang][1], f"{lu:%d.%m.%Y} {lu:%H:%M} GMT"]


def m_microdata_tbl(lang, s, p, u, site, i):
    head = f'<title>{e(site)} - {e(s["title"])}</title>'
    lev = u.astimezone(ZoneInfo("Asia/Beirut"))
    off = int(lev.utcoffset().total_seconds() // 3600)
    shown = (f"Modified {lev.day} {EN_MONTHS[lev.month - 1]} {lev.year} {lev:%H:%M} GMT+{off}"
             if lang == "en" else f"آخر تعديل: {lev.day} {LEVANT_MONTHS[lev.month - 1]} {lev.year} {lev:%H:%M} بتوقيت بيروت")
    rows = "".join(f'<tr><td class="txt">{e(x)}</td></tr>' for x in s["paras"])
    body = (f'<table width="100%" class="top"><tr><td><a href="/"><img src="/l.gif" alt="{e(site)}"></a></td>'
            f'<td class="menu"><a href="/">{"Home" if lang == "en" else "الرئيسية"}</a></td></tr></table>'
            f'<table width="780" itemscope itemtype="http://schema.org/NewsArticle"><tr><td class="ttl">'
            f'<h2 itemprop="headline">{e(s["title"])}</h2></td></tr><tr><td class="info">'
            f'<meta itemprop="author" content="{e(", ".join(s["authors"]))}">'
            f'<meta itemprop="datePublished" content="{iso(p)}">'
            f'<span class="upd">{shown}</span></td></tr><tr><td><div itemprop="articleBody"><table>{rows}</table></div></td></tr>'
            f'<tr><td class="cnt">{"Comments (0)" if lang == "en" else "التعليقات (0)"}</td></tr></table>'
            f'<table class="more"><tr><td>{teaser_list(lang, "othernews", "More news" if lang == "en" else "المزيد من الأخبار", i)}</td></tr></table>')
    return head, body, lang, u, None, [TEASERS[lang][1], shown, "Comments (0)" if lang == "en" else "التعليقات (0)"]


# Truth, per markup: these name only the first author (one Person node, one amp-wp-author); the
# agency's dateline ("ANKARA (Site) - ...") puts the outlet's name in the article text.
ONE_AUTHOR = {"wp_yoast", "amp_wp"}
SITE_IN_TEXT = {"agency"}

MARKUPS = {"wp_yoast": m_wp_yoast, "arc": m_arc, "nextjs": m_nextjs, "amp_wp": m_amp_wp, "drupal": m_drupal,
           "time_spans": m_time_spans, "ar_portal": m_ar_portal, "gulf": m_gulf, "agency": m_agency,
           "microdata_tbl": m_microdata_tbl}


def build() -> list[dict]:
    rows = []
    pages_dir = HERE / "pages"
    for mi, (markup, make) in enumerate(MARKUPS.items()):
        for li, (lang, stories) in enumerate((("en", EN), ("ar", AR))):
            k = mi * 2 + li
            s = stories[(mi + li) % len(stories)]
            site = SITES[lang][mi % len(SITES[lang])]
            p = datetime(2022, 1 + (k * 7) % 12, 3 + (k * 5) % 24, 6 + k % 10, (k * 13) % 60, tzinfo=UTC)
            u = p + timedelta(hours=2 + k % 4, minutes=7 + (k * 17) % 45)
            head, body, tag, upd, fetched, exclude = make(lang, s, p, u, site, k)
            pid = f"fresh-{markup}-{lang}"
            (pages_dir / f"{pid}.html").write_text(page(tag, head, body, "rtl" if lang == "ar" else "ltr"), encoding="utf-8")
            rows.append(dict(id=pid, set="fresh1", markup=markup, lang=lang, shape=markup, site=site,
                             url=f"https://{markup.replace('_', '-')}.example/{lang}/story/{k}",
                             fetched_at=(fetched or u + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                             title=s["title"], authors=s["authors"][:1] if markup in ONE_AUTHOR else s["authors"],
                             published=p.strftime("%Y-%m-%dT%H:%M:00Z"),
                             updated=upd.strftime("%Y-%m-%dT%H:%M:00Z") if upd else None,
                             include=[s["paras"][0], s["paras"][-1]],
                             exclude=[x for x in exclude if x] + [TEASERS[lang][3]]
                             + ([] if markup in SITE_IN_TEXT else [site])))
    path = HERE / "truth.json"
    kept = [r for r in json.loads(path.read_text(encoding="utf-8")) if r.get("set", "dev") not in ("fresh", "fresh1")]
    path.write_text(json.dumps(kept + rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return rows


if __name__ == "__main__":
    print(len(build()), "fresh pages written to", HERE / "pages")
