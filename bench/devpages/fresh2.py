"""The second fresh batch of the development pages ("fresh2"): 20 pages in 10 markups that neither
build.py nor fresh.py writes, each in English and Arabic, with new stories, sites and teasers. Written
after the fixes of the first fresh batch, before the extractor was run on any of them, and scored once,
untouched (README, "Extraction"): nothing was tuned on them.

    python -m bench.devpages.fresh2       (writes the "fresh2" rows of truth.json, keeps the others)

Markups, from how real sites build their pages; the truth is what the page itself says (a name printed
in the byline is an author even when the JSON-LD names only the first):
  ghost       Ghost (Casper): article:*_time meta, JSON-LD with the primary author only, the byline
              printing every author, a day-only <time>, "min read", a sign-up CTA, "You might also like"
  blogger     Blogger: the post body as text and <br> in one <div> (no <p>), <abbr class="published"
              title=ISO>, the JSON-LD BlogPosting whose publisher is "Blogger", "Posted by", labels, the
              Newer/Older post links, a popular-posts widget, "No comments"
  joomla      Joomla 4: <dl class="article-info"> with "Written by", <time itemprop> Published / Last
              Updated, a hits counter, the prev/next pager
  medium      a Medium-like page: JSON-LD of type SocialMediaPosting, article:published_time, data-testid
              author and date, "min read", clap and response counters, "More from", html lang="en" on
              an Arabic post (the platform's UI language)
  substack    a Substack-like newsletter post: subtitle, JSON-LD NewsArticle with authors, "Thanks for
              reading … Subscribe for free", likes and comments, the email sign-up form
  liveblog    a live page that is still one article: JSON-LD LiveBlogPosting without dateModified,
              entries newest first each with its <time>, "Last updated" printed (Arabic: an Algerian
              outlet, جانفي, بتوقيت الجزائر), "Key events"
  hijri       a Saudi daily: the Hijri date beside the Gregorian one (Arabic: "16 شعبان 1444 هـ الموافق
              08 مارس 2023 م"), the update printed in Mecca time / AST
  maghreb     a Moroccan outlet: the headline only in og:title (the <title> is the site, the <h1> its
              logo), "Site - Name" writer line, Moroccan month names (غشت, ماي...), GMT+1
  levant      a Lebanese outlet: Syriac month names (كانون الثاني...), the update "بتوقيت بيروت" /
              "(Beirut time)", the author after a label in its own element
  hentry      an IndieWeb blog with microformats2 h-entry: p-name, p-author h-card (two), dt-published /
              dt-updated, e-content, webmentions and likes below
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from .build import AP_MONTHS, EG_MONTHS, EN_MONTHS, HERE, LEVANT_MONTHS, MAGHREB_MONTHS, ar_h12, e, h12, iso, page

UTC = timezone.utc
AR_WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
EN_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MOROCCAN_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر",
                   "نونبر", "دجنبر"]
HIJRI_AR = ["محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان",
            "رمضان", "شوال", "ذو القعدة", "ذو الحجة"]
HIJRI_EN = ["Muharram", "Safar", "Rabi al-Awwal", "Rabi al-Thani", "Jumada al-Ula", "Jumada al-Akhirah", "Rajab",
            "Shaban", "Ramadan", "Shawwal", "Dhu al-Qadah", "Dhu al-Hijjah"]

EN = [
    dict(title="Hospital waiting lists fall for the first time in three years",
         authors=["Grace Mensah"],
         paras=["The number of patients waiting for planned hospital treatment fell last month for the first time in three years, according to figures published on Thursday.",
                "About 6.1 million people were on the list at the end of the month, down from 6.3 million, after hospitals added evening and weekend clinics.",
                "Health officials said the fall was encouraging but warned that winter pressures could push the figures back up within weeks.",
                "Patient groups said many people were still waiting more than a year for hip and knee operations in some regions."]),
    dict(title="Port city bans cruise ships from historic harbour",
         authors=["Lucas Moreau", "Aisha Bello"],
         paras=["The port city will ban large cruise ships from its historic harbour from next summer, the city council decided on Tuesday after a long debate.",
                "Ships carrying more than 1,000 passengers will have to dock at a new terminal eight kilometres away, with shuttle buses into the old town.",
                "Shop owners in the harbour district said the decision would cost them a third of their summer trade.",
                "Residents' associations welcomed the vote, saying crowds and fumes had made the old quarter unbearable in high season."]),
    dict(title="Scientists find new species of frog in cloud forest",
         authors=["Elena Petrova"],
         paras=["A team of biologists has described a new species of tree frog found only in a small patch of cloud forest on a remote mountain ridge.",
                "The frog, about two centimetres long, has bright orange feet and a call that sounds like a dripping tap, the researchers wrote.",
                "Fewer than 300 individuals are thought to survive, and the team has asked for the ridge to be added to the national park.",
                "Logging roads have reached the lower slopes of the ridge in the past five years, satellite images show."]),
    dict(title="Central bank holds interest rates as inflation eases",
         authors=["Samuel Adeyemi", "Nora Lindqvist"],
         paras=["The central bank kept its main interest rate unchanged at 5.25 percent on Wednesday, saying inflation was easing faster than it had expected.",
                "Consumer prices rose 3.9 percent in the year to last month, down from 4.6 percent, mainly because of cheaper fuel and food.",
                "The governor said it was too early to cut rates and that the bank would watch wage growth closely over the coming months.",
                "Business groups had urged a cut, arguing that high borrowing costs were holding back investment in factories."]),
    dict(title="Floods cut off villages after river bursts its banks",
         authors=["Karim Haddad"],
         paras=["Floodwater cut off more than twenty villages in the north of the country on Monday after the river burst its banks following three days of rain.",
                "Army helicopters dropped food and drinking water to families stranded on rooftops, the civil protection agency said.",
                "Two people were missing after their car was swept away on a flooded road near the provincial capital.",
                "Forecasters said more rain was expected later in the week, and warned people living near the river to move to higher ground."]),
]

AR = [
    dict(title="انخفاض قوائم انتظار المستشفيات لأول مرة منذ ثلاث سنوات",
         authors=["منى السعدي"],
         paras=["انخفض عدد المرضى المنتظرين لتلقي العلاج المخطط له في المستشفيات الشهر الماضي لأول مرة منذ ثلاث سنوات، وفق أرقام نشرت يوم الخميس.",
                "وبلغ عدد المسجلين على القوائم نحو 6.1 مليون شخص في نهاية الشهر، مقابل 6.3 مليون، بعد أن أضافت المستشفيات عيادات مسائية وفي عطلة نهاية الأسبوع.",
                "وقال مسؤولون في قطاع الصحة إن الانخفاض مشجع، لكنهم حذروا من أن ضغوط الشتاء قد تعيد الأرقام إلى الارتفاع خلال أسابيع.",
                "وقالت جمعيات المرضى إن كثيرين ما زالوا ينتظرون أكثر من عام لإجراء عمليات الورك والركبة في بعض المناطق."]),
    dict(title="مدينة ساحلية تمنع السفن السياحية من دخول مرفئها التاريخي",
         authors=["جورج نصار", "ريم الخطيب"],
         paras=["قررت المدينة الساحلية منع السفن السياحية الكبيرة من دخول مرفئها التاريخي اعتباراً من الصيف المقبل، بعد نقاش طويل في المجلس البلدي يوم الثلاثاء.",
                "وسيتعين على السفن التي تقل أكثر من ألف راكب أن ترسو في محطة جديدة على بعد ثمانية كيلومترات، مع حافلات تنقل الركاب إلى البلدة القديمة.",
                "وقال أصحاب المتاجر في حي المرفأ إن القرار سيكلفهم ثلث تجارتهم الصيفية.",
                "ورحبت جمعيات السكان بالقرار، وقالت إن الزحام والدخان جعلا الحي القديم لا يطاق في ذروة الموسم."]),
    dict(title="علماء يكتشفون نوعاً جديداً من الضفادع في غابة سحابية",
         authors=["خالد الزين"],
         paras=["وصف فريق من علماء الأحياء نوعاً جديداً من ضفادع الأشجار لا يعيش إلا في رقعة صغيرة من غابة سحابية على سلسلة جبلية نائية.",
                "ويبلغ طول الضفدع نحو سنتيمترين، وله أقدام برتقالية زاهية وصوت يشبه صوت صنبور يقطر، بحسب ما كتب الباحثون.",
                "ويعتقد أن أقل من 300 فرد ما زالت على قيد الحياة، وطلب الفريق ضم السلسلة الجبلية إلى الحديقة الوطنية.",
                "وتظهر صور الأقمار الصناعية أن طرق قطع الأشجار وصلت إلى المنحدرات السفلى خلال السنوات الخمس الماضية."]),
    dict(title="البنك المركزي يثبت أسعار الفائدة مع تراجع التضخم",
         authors=["سلمى بن عمر", "فؤاد العمري"],
         paras=["أبقى البنك المركزي سعر الفائدة الرئيسي دون تغيير عند 5.25 في المئة يوم الأربعاء، وقال إن التضخم يتراجع أسرع مما توقع.",
                "وارتفعت أسعار المستهلكين 3.9 في المئة على أساس سنوي الشهر الماضي، مقابل 4.6 في المئة، بسبب تراجع أسعار الوقود والغذاء خصوصاً.",
                "وقال المحافظ إن الوقت ما زال مبكراً لخفض الفائدة، وإن البنك سيراقب نمو الأجور عن كثب خلال الأشهر المقبلة.",
                "وكانت جمعيات رجال الأعمال قد طالبت بخفض الفائدة، معتبرة أن ارتفاع كلفة الاقتراض يعيق الاستثمار في المصانع."]),
    dict(title="الفيضانات تعزل قرى بعد خروج النهر عن مجراه",
         authors=["عبد الرحيم العلوي"],
         paras=["عزلت مياه الفيضانات أكثر من عشرين قرية في شمال البلاد يوم الاثنين بعد أن خرج النهر عن مجراه إثر ثلاثة أيام من الأمطار.",
                "وأسقطت مروحيات الجيش مواد غذائية ومياه شرب لعائلات عالقة فوق أسطح المنازل، بحسب الوقاية المدنية.",
                "ولا يزال شخصان في عداد المفقودين بعد أن جرفت المياه سيارتهما على طريق غمرته المياه قرب عاصمة الإقليم.",
                "وتوقعت الأرصاد الجوية مزيداً من الأمطار في وقت لاحق من الأسبوع، ونصحت سكان ضفاف النهر بالانتقال إلى المرتفعات."]),
]

TEASERS = {
    "en": ["Five walks to try before the autumn rains", "Why the price of coffee keeps rising",
           "School meals scheme extended to another 40 towns", "Letters: the library should stay open"],
    "ar": ["خمس نزهات قبل أمطار الخريف", "لماذا يواصل سعر القهوة الارتفاع",
           "توسيع برنامج الوجبات المدرسية إلى أربعين بلدة أخرى", "رسائل القراء: يجب أن تبقى المكتبة مفتوحة"],
}
SITES = {"en": ["Northern Review", "The Lantern", "Field Notes Weekly", "Morning Courier", "Atlas Daily"],
         "ar": ["صوت المدينة", "الفجر الجديد", "مدونة الأرض", "الرأي اليومي", "الأطلس بريس"]}


def ldjson(d) -> str:
    return f'<script type="application/ld+json">{json.dumps(d, ensure_ascii=False)}</script>'


def teasers(lang, cls, heading, i, tag="h3"):
    t = TEASERS[lang]
    return (f'<div class="{cls}"><{tag}>{heading}</{tag}><ul>' +
            "".join(f'<li><a href="/p/{i}{k}">{e(x)}</a></li>' for k, x in enumerate(t[1:])) + "</ul></div>")


def ps(paras):
    return "".join(f"<p>{e(x)}</p>" for x in paras)


def joined(lang, names):
    return " و".join(names) if lang == "ar" else " and ".join(names)


def hijri(dt: datetime) -> tuple[int, int, int]:
    """The tabular Islamic calendar date of a Gregorian day (arithmetical; printed pages may differ by a
    day from the sighted calendar, which no extractor reads anyway)."""
    jd = dt.toordinal() + 1721425 - 1948440 + 10632   # days since 1 Muharram 1 AH, shifted by 30 lunar years
    n = (jd - 1) // 10631
    jd = jd - 10631 * n + 354
    j = ((10985 - jd) // 5316) * ((50 * jd) // 17719) + (jd // 5670) * ((43 * jd) // 15238)
    jd = jd - ((30 - j) // 15) * ((17719 * j) // 50) - (j // 16) * ((15238 * j) // 43) + 29
    m = (24 * jd) // 709
    d = jd - (709 * m) // 24
    y = 30 * n + j - 30
    return y, m, d


# --- markups: (lang, story, p, u, site, i) -> dict(head, body, tag, updated, fetched, exclude, authors) ----

def m_ghost(lang, s, p, u, site, i):
    base = f"https://{'lantern' if lang == 'en' else 'alfajr'}.example"
    ld = {"@context": "https://schema.org", "@type": "Article", "publisher": {"@type": "Organization", "name": site},
          "author": {"@type": "Person", "name": s["authors"][0], "url": f"{base}/author/a0/"},
          "headline": s["title"], "datePublished": p.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
          "dateModified": u.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "url": f"{base}/{i}/"}
    head = (f'<title>{e(s["title"])}</title><meta property="og:site_name" content="{e(site)}">'
            f'<meta property="og:type" content="article"><meta property="og:title" content="{e(s["title"])}">'
            f'<meta property="article:published_time" content="{p:%Y-%m-%dT%H:%M:%S.000Z}">'
            f'<meta property="article:modified_time" content="{u:%Y-%m-%dT%H:%M:%S.000Z}">'
            f'<meta name="generator" content="Ghost 5.40">' + ldjson(ld))
    names = ", ".join(f'<a href="/author/a{k}/">{e(a)}</a>' for k, a in enumerate(s["authors"]))
    day = f"{p.day} {EN_MONTHS[p.month - 1][:3]} {p.year}" if lang == "en" else f"{p.day} {EG_MONTHS[p.month - 1]} {p.year}"
    read = "4 min read" if lang == "en" else "4 دقائق قراءة"
    cta = ("Sign up for more like this." if lang == "en" else "اشترك ليصلك المزيد من هذه المقالات.")
    more = "You might also like..." if lang == "en" else "قد يعجبك أيضاً"
    body = (f'<div class="viewport"><header id="gh-head" class="gh-head outer"><div class="gh-head-inner inner">'
            f'<a class="gh-head-logo" href="/">{e(site)}</a><nav class="gh-head-menu"><ul class="nav"><li><a href="/">Home</a></li>'
            f'<li><a href="/about/">About</a></li></ul></nav></div></header><div class="site-content"><main id="site-main" class="site-main">'
            f'<article class="article post tag-news"><header class="article-header gh-canvas">'
            f'<div class="article-tag post-card-tags"><span class="post-card-primary-tag"><a href="/tag/news/">News</a></span></div>'
            f'<h1 class="article-title">{e(s["title"])}</h1><div class="article-byline"><section class="article-byline-content">'
            f'<ul class="author-list">' + "".join(f'<li class="author-list-item"><a href="/author/a{k}/" class="author-avatar">'
                                                  f'<img class="author-profile-image" src="/a{k}.jpg" alt="{e(a)}"></a></li>'
                                                  for k, a in enumerate(s["authors"])) + '</ul>'
            f'<div class="article-byline-meta"><h4 class="author-name">{names}</h4><div class="byline-meta-content">'
            f'<time class="byline-meta-date" datetime="{p:%Y-%m-%d}">{day}</time><span class="byline-reading-time">'
            f'<span class="bull">&bull;</span> {read}</span></div></div></section></div></header>'
            f'<section class="gh-content gh-canvas">{ps(s["paras"])}</section></article></main>'
            f'<section class="footer-cta outer"><div class="inner"><h2 class="footer-cta-title">{cta}</h2>'
            f'<a class="footer-cta-button" href="#/portal">{"Subscribe" if lang == "en" else "اشترك"}</a></div></section>'
            f'<aside class="read-more-wrap outer"><div class="read-more inner">{teasers(lang, "post-feed", more, i, "h2")}</div></aside>'
            f'</div><footer class="site-footer outer"><div class="inner"><section class="copyright"><a href="/">{e(site)}</a> &copy; {p.year}</section>'
            f'<div class="gh-powered-by"><a href="https://ghost.org/">Powered by Ghost</a></div></div></footer></div>')
    return dict(head=head, body=body, tag=lang, updated=u, exclude=[TEASERS[lang][1], cta, read, "Powered by Ghost"])


def m_blogger(lang, s, p, u, site, i):
    z = ZoneInfo("Asia/Riyadh" if lang == "ar" else "Europe/London")
    lp, lu = p.astimezone(z), u.astimezone(z)
    author = s["authors"][0]
    ld = {"@context": "http://schema.org", "@type": "BlogPosting",
          "mainEntityOfPage": {"@type": "WebPage", "@id": f"https://{site.replace(' ', '').lower()}.blogspot.com/{i}.html"},
          "headline": s["title"], "description": s["paras"][0][:80], "datePublished": lp.isoformat(timespec="seconds"),
          "dateModified": lu.isoformat(timespec="seconds"),
          "publisher": {"@type": "Organization", "name": "Blogger"}, "author": {"@type": "Person", "name": author}}
    head = (f"<title>{e(site)}: {e(s['title'])}</title><meta content='blogger' name='generator'>"
            f'<meta property="og:title" content="{e(s["title"])}"><meta property="og:site_name" content="{e(site)}">' + ldjson(ld))
    if lang == "en":
        date_header = f"{EN_WEEKDAYS[lp.weekday()]}, {EN_MONTHS[lp.month - 1]} {lp.day}, {lp.year}"
        shown, posted, labels_l = h12(lp), "Posted by", "Labels:"
        nav = ("Newer Post", "Older Post", "Home")
        nocom, popular, share = "No comments:", "Popular Posts", "Share to X"
    else:
        date_header = f"{AR_WEEKDAYS[lp.weekday()]}، {lp.day} {EG_MONTHS[lp.month - 1]} {lp.year}"
        shown, posted, labels_l = " ".join(ar_h12(lp)), "نشر بواسطة", "التسميات:"
        nav = ("رسالة أحدث", "رسالة أقدم", "الصفحة الرئيسية")
        nocom, popular, share = "ليست هناك تعليقات:", "المشاركات الشائعة", "المشاركة في X"
    post_body = "<br><br>".join(e(x) for x in s["paras"])
    body = (f'<div class="content-outer"><header><div class="header-outer"><div class="Header"><h1 class="title">'
            f'<a href="/">{e(site)}</a></h1><p class="description">{"Notes from the city" if lang == "en" else "ملاحظات من المدينة"}</p></div></div></header>'
            f'<div class="main-inner"><div class="date-outer"><h2 class="date-header"><span>{date_header}</span></h2>'
            f'<div class="post-outer"><div class="post hentry" itemscope itemtype="http://schema.org/BlogPosting">'
            f'<h3 class="post-title entry-title" itemprop="name">{e(s["title"])}</h3><div class="post-header"></div>'
            f'<div class="post-body entry-content" id="post-body-{i}" itemprop="description articleBody">{post_body}</div>'
            f'<div class="post-footer"><div class="post-footer-line post-footer-line-1"><span class="post-author vcard">{posted} '
            f'<span class="fn" itemprop="author" itemscope itemtype="http://schema.org/Person"><span itemprop="name">{e(author)}</span></span></span> '
            f'<span class="post-timestamp">{"at" if lang == "en" else "في"} <a class="timestamp-link" href="/{i}.html" rel="bookmark" title="permanent link">'
            f'<abbr class="published" itemprop="datePublished" title="{lp.isoformat(timespec="seconds")}">{shown}</abbr></a></span> '
            f'<span class="post-comment-link"><a class="comment-link" href="/{i}.html#comment-form">{nocom}</a></span></div>'
            f'<div class="post-share-buttons"><a class="share-button" href="#">{share}</a></div>'
            f'<div class="post-footer-line post-footer-line-2"><span class="post-labels">{labels_l} '
            f'<a href="/search/label/city" rel="tag">{"city" if lang == "en" else "المدينة"}</a>, '
            f'<a href="/search/label/news" rel="tag">{"news" if lang == "en" else "أخبار"}</a></span></div></div></div></div>'
            f'<div class="blog-pager" id="blog-pager"><span id="blog-pager-newer-link"><a class="blog-pager-newer-link" href="/n.html">{nav[0]}</a></span>'
            f'<span id="blog-pager-older-link"><a class="blog-pager-older-link" href="/o.html">{nav[1]}</a></span>'
            f'<a class="home-link" href="/">{nav[2]}</a></div></div></div>'
            f'<div class="sidebar-container"><div class="widget PopularPosts">{teasers(lang, "widget-content popular-posts", popular, i, "h2")}</div></div></div>')
    return dict(head=head, body=body, tag=lang, updated=u, authors=[author],
                exclude=[TEASERS[lang][1], nocom, nav[1], labels_l, share])


def m_joomla(lang, s, p, u, site, i):
    author = s["authors"][0]
    hits = 500 + i * 11
    if lang == "en":
        wb, pub_l, upd_l, hits_l, details = "Written by", "Published:", "Last Updated:", f"Hits: {hits}", "Details"
        pd, ud = f"{p.day:02d} {EN_MONTHS[p.month - 1]} {p.year}", f"{u.day:02d} {EN_MONTHS[u.month - 1]} {u.year}"
        pager = ("Prev", "Next")
    else:
        wb, pub_l, upd_l, hits_l, details = "كتب بواسطة", "نشر في:", "آخر تحديث:", f"الزيارات: {hits}", "التفاصيل"
        pd, ud = f"{p.day:02d} {EG_MONTHS[p.month - 1]} {p.year}", f"{u.day:02d} {EG_MONTHS[u.month - 1]} {u.year}"
        pager = ("السابق", "التالي")
    head = (f'<title>{e(s["title"])}</title><meta name="generator" content="Joomla! - Open Source Content Management">'
            f'<meta name="author" content="{e(author)}"><meta name="description" content="{e(s["paras"][0][:90])}">')
    body = (f'<header class="header container-header full-width"><div class="navbar-brand"><a class="brand-logo" href="/">'
            f'<span title="{e(site)}">{e(site)}</span></a></div><nav><ul class="mod-menu"><li><a href="/">{"Home" if lang == "en" else "الرئيسية"}</a></li></ul></nav></header>'
            f'<div class="site-grid"><main><div class="com-content-article item-page" itemscope itemtype="https://schema.org/Article">'
            f'<meta itemprop="inLanguage" content="{lang}"><div class="page-header"><h2 itemprop="headline">{e(s["title"])}</h2></div>'
            f'<dl class="article-info text-muted"><dt class="article-info-term">{details}</dt>'
            f'<dd class="createdby" itemprop="author" itemscope itemtype="https://schema.org/Person"><span class="icon-user icon-fw" aria-hidden="true"></span>'
            f'{wb}: <span itemprop="name">{e(author)}</span></dd>'
            f'<dd class="published"><span class="icon-calendar icon-fw" aria-hidden="true"></span>'
            f'<time datetime="{iso(p)}" itemprop="datePublished">{pub_l} {pd}</time></dd>'
            f'<dd class="modified"><span class="icon-calendar icon-fw" aria-hidden="true"></span>'
            f'<time datetime="{iso(u)}" itemprop="dateModified">{upd_l} {ud}</time></dd>'
            f'<dd class="hits"><span class="icon-eye icon-fw" aria-hidden="true"></span><meta itemprop="interactionCount" content="UserPageVisits:{hits}">{hits_l}</dd></dl>'
            f'<div itemprop="articleBody" class="com-content-article__body">{ps(s["paras"])}</div>'
            f'<nav class="pagenavigation"><span class="pagination ms-0"><a class="btn btn-sm btn-secondary previous" href="/p" rel="prev">{pager[0]}</a>'
            f'<a class="btn btn-sm btn-secondary next" href="/n" rel="next">{pager[1]}</a></span></nav></div></main>'
            f'<div class="grid-child container-sidebar-right">{teasers(lang, "moduletable", "Latest Articles" if lang == "en" else "أحدث المقالات", i)}</div></div>'
            f'<footer class="container-footer footer full-width"><div class="grid-child"><p>&copy; {p.year} {e(site)}</p></div></footer>')
    return dict(head=head, body=body, tag=("en-gb" if lang == "en" else "ar-aa"), updated=u, authors=[author],
                exclude=[TEASERS[lang][1], hits_l, wb])


def m_medium(lang, s, p, u, site, i):
    author = s["authors"][0]
    ld = {"@context": "http://schema.org", "@type": "SocialMediaPosting", "headline": s["title"],
          "datePublished": p.strftime("%Y-%m-%dT%H:%M:%S.") + "412Z", "dateModified": u.strftime("%Y-%m-%dT%H:%M:%S.") + "087Z",
          "author": {"@type": "Person", "name": author, "url": f"https://medium.example/@a{i}"},
          "publisher": {"@type": "Organization", "name": site}, "identifier": f"a{i}f3"}
    head = (f'<title>{e(s["title"])} | by {e(author)} | {e(site)}</title><meta property="og:site_name" content="Medium">'
            f'<meta property="og:title" content="{e(s["title"])}"><meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="{p:%Y-%m-%dT%H:%M:%S}.412Z">'
            f'<meta name="author" content="{e(author)}">' + ldjson(ld))
    claps, responses = f"{1 + i % 3}.{i % 10}K", str(10 + i)
    read = f"{5 + i % 4} min read"
    more = f"More from {author}" if lang == "en" else f"More from {author} and {site}"
    body = (f'<div id="root"><div class="a b c"><div class="l m"><a aria-label="Homepage" data-testid="headerMediumLogo" href="/">'
            f'<svg width="95" height="25"></svg></a><div class="n o"><a href="/new-story">Write</a><a href="/m/signin">Sign in</a></div></div>'
            f'<article><div class="ab ac"><div class="ch bg"><h1 id="{i}a1" class="pw-post-title gb gc gd bf ge">{e(s["title"])}</h1>'
            f'<div class="gw gx"><div class="speechify-ignore ab"><a href="/@a{i}" rel="noopener follow"><img alt="{e(author)}" class="l ep" src="/a.png"></a>'
            f'<div class="bm ab"><span class="bf b bg z bk"><a class="af ag" data-testid="authorName" href="/@a{i}" rel="noopener follow">{e(author)}</a></span>'
            f'<span><button class="bf b bg z">Follow</button></span></div>'
            f'<div class="ab q"><span class="bf b bg z dt" data-testid="storyReadTime">{read}</span><span class="hl"> · </span>'
            f'<span data-testid="storyPublishDate">{AP_MONTHS[p.month - 1].rstrip(".")[:3]} {p.day}, {p.year}</span></div></div>'
            f'<div class="ab cp"><div class="pw-multi-vote-count"><p class="bf b dx z dt"><button>{claps}</button></p></div>'
            f'<button aria-label="responses" class="ab"><p class="bf b dx z dt"><span class="pw-responses-count">{responses}</span></p></button></div></div>'
            f'<div class="fz ga"><section>' + "".join(f'<p id="p{k}" class="pw-post-body-paragraph lv lw fq lx b ly">{e(x)}</p>'
                                                     for k, x in enumerate(s["paras"])) + '</section></div></div></div></article>'
            f'<div class="gh bg"><h2 class="bf">{e(more)}</h2>{teasers(lang, "pq pr", "Recommended from Medium", i)}</div></div>')
    return dict(head=head, body=body, tag="en", updated=u, authors=[author],
                exclude=[TEASERS[lang][1], read, "Recommended from Medium", "Sign in"])


def m_substack(lang, s, p, u, site, i):
    base = f"https://{'fieldnotes' if lang == 'en' else 'ard'}.substack.example"
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "url": f"{base}/p/{i}", "mainEntityOfPage": f"{base}/p/{i}",
          "headline": s["title"], "description": s["paras"][0][:100],
          "datePublished": p.strftime("%Y-%m-%dT%H:%M:%S+00:00"), "dateModified": u.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
          "isAccessibleForFree": True,
          "author": [{"@type": "Person", "name": a, "url": f"https://substack.example/@a{k}"} for k, a in enumerate(s["authors"])],
          "publisher": {"@type": "Organization", "name": site, "url": base}}
    head = (f'<title>{e(s["title"])} - by {e(s["authors"][0])} - {e(site)}</title><meta property="og:title" content="{e(s["title"])}">'
            f'<meta property="og:type" content="article">' + ldjson(ld))
    if lang == "en":
        sub = "A weekly letter on the places we live in"
        thanks = f"Thanks for reading {site}! Subscribe for free to receive new posts and support my work."
        email, likes, comments = "Type your email…", f"{20 + i} Likes", f"{3 + i % 5} Comments"
        shown = f"{EN_MONTHS[p.month - 1][:3]} {p.day}, {p.year}"
    else:
        sub = "رسالة أسبوعية عن الأماكن التي نعيش فيها"
        thanks = f"شكراً لقراءتك {site}! اشترك مجاناً لتصلك المقالات الجديدة ولتدعم عملي."
        email, likes, comments = "اكتب بريدك الإلكتروني…", f"{20 + i} إعجاباً", f"{3 + i % 5} تعليقات"
        shown = f"{p.day} {EG_MONTHS[p.month - 1]} {p.year}"
    form = (f'<div class="subscription-widget-wrap"><div class="subscription-widget"><p class="cta-caption">{e(thanks)}</p>'
            f'<form class="form"><input type="email" placeholder="{e(email)}"><button>{"Subscribe" if lang == "en" else "اشترك"}</button></form></div></div>')
    names = "".join(f'<div class="profile-hover-card-target"><a href="https://substack.example/@a{k}" class="pencraft frontend-pencraft-Text-module__decoration-hover-underline">{e(a)}</a></div>'
                    for k, a in enumerate(s["authors"]))
    body = (f'<div id="entry"><div class="main-menu"><div class="topbar"><a href="/" class="navbar-title-link">{e(site)}</a>'
            f'<button class="button primary">{"Subscribe" if lang == "en" else "اشترك"}</button><a href="/sign-in">{"Sign in" if lang == "en" else "تسجيل الدخول"}</a></div></div>'
            f'<div class="container"><article class="typography newsletter-post post"><div class="post-header">'
            f'<h1 dir="auto" class="post-title published title-X77sOw">{e(s["title"])}</h1><h3 dir="auto" class="subtitle">{e(sub)}</h3>'
            f'<div class="post-meta"><div class="byline-wrapper"><div class="pencraft pc-display-flex">{names}</div>'
            f'<div class="pencraft pc-reset color-pub-secondary-text">{shown}</div></div></div></div>'
            f'<div class="available-content"><div dir="auto" class="body markup">{ps(s["paras"][:2])}{form}{ps(s["paras"][2:])}</div></div>'
            f'<div class="post-footer"><div class="like-button-container"><div class="label">{likes}</div></div>'
            f'<a class="post-ufi-comment-button" href="/p/{i}/comments"><div class="label">{comments}</div></a></div>'
            f'</article>{form}<div class="post-recommendations">{teasers(lang, "portable-archive-list", "Ready for more?" if lang == "en" else "هل تريد المزيد؟", i)}</div></div></div>')
    return dict(head=head, body=body, tag=lang, updated=u, exclude=[thanks, email, likes, TEASERS[lang][1]])


def m_liveblog(lang, s, p, u, site, i):
    tz = ZoneInfo("Africa/Algiers") if lang == "ar" else UTC
    entries = []       # newest first, the last entry the latest update
    times = [p + (u - p) * k / (len(s["paras"]) - 1) for k in range(len(s["paras"]))]
    times[-1] = u
    for k in reversed(range(len(s["paras"]))):
        t = times[k].astimezone(tz)
        entries.append(f'<div class="live-entry" id="e{k}"><div class="entry-meta"><time datetime="{iso(times[k])}">{t:%H:%M}</time></div>'
                       f'<p>{e(s["paras"][k])}</p></div>')
    ld = {"@context": "https://schema.org", "@type": "LiveBlogPosting", "headline": s["title"],
          "datePublished": iso(p), "coverageStartTime": iso(p),
          "liveBlogUpdate": [{"@type": "BlogPosting", "headline": s["title"][:40], "datePublished": iso(t)} for t in times[::-1]],
          "author": [{"@type": "Person", "name": a} for a in s["authors"]]}
    head = (f'<title>{e(s["title"])} – live | {e(site)}</title><meta property="og:title" content="{e(s["title"])} – live">'
            f'<meta property="og:site_name" content="{e(site)}">' + ldjson(ld))
    if lang == "en":
        last = f'Last updated <time datetime="{iso(u)}">{u:%H:%M} GMT, {u.day} {EN_MONTHS[u.month - 1]} {u.year}</time>'
        badge, key, js = "LIVE", "Key events", "Show key events only"
    else:
        lu = u.astimezone(tz)
        last = f"آخر تحديث: {lu.day} {MAGHREB_MONTHS[lu.month - 1]} {lu.year} - {lu:%H:%M} بتوقيت الجزائر"
        badge, key, js = "مباشر", "أبرز الأحداث", "عرض أبرز الأحداث فقط"
    by = ("By " if lang == "en" else "بقلم ") + joined(lang, s["authors"])
    body = (f'<header class="site-header"><a class="logo" href="/">{e(site)}</a></header><main><article class="liveblog">'
            f'<div class="badge">{badge}</div><h1>{e(s["title"])}</h1><p class="byline">{e(by)}</p>'
            f'<p class="live-meta">{last}</p><div class="key-events"><h2>{key}</h2><button>{js}</button></div>'
            f'<div class="live-entries">{"".join(entries)}</div></article>'
            f'<aside>{teasers(lang, "more-on", "More on this story" if lang == "en" else "المزيد حول هذه القصة", i)}</aside></main>')
    return dict(head=head, body=body, tag=lang, updated=u, exclude=[TEASERS[lang][1], js])


def m_hijri(lang, s, p, u, site, i):
    ry, ru = p.astimezone(ZoneInfo("Asia/Riyadh")), u.astimezone(ZoneInfo("Asia/Riyadh"))
    hy, hm, hd = hijri(ry)
    head = (f'<title>{e(s["title"])} | {e(site)}</title><meta property="og:site_name" content="{e(site)}">'
            f'<meta property="og:title" content="{e(s["title"])}">'
            f'<meta property="article:published_time" content="{ry.isoformat(timespec="seconds")}">')
    if lang == "ar":
        date = (f'{AR_WEEKDAYS[ry.weekday()]} - {hd} {HIJRI_AR[hm - 1]} {hy} هـ - {ry.day:02d} {EG_MONTHS[ry.month - 1]} {ry.year} مـ'
                f' <span class="issue">رقم العدد [ {16000 + i} ]</span>')
        hm_, ap = ar_h12(ru)
        upd = f"آخر تحديث: {ru.day:02d} {EG_MONTHS[ru.month - 1]} {ru.year} - {hm_} {ap} بتوقيت مكة المكرمة"
        by = f'<div class="author-box"><a href="/author/{i}">{e(s["authors"][0])}</a></div>'
        if len(s["authors"]) > 1:
            by = '<div class="author-box">' + " و".join(f'<a href="/author/{i}{k}">{e(a)}</a>' for k, a in enumerate(s["authors"])) + "</div>"
    else:
        date = (f'{EN_WEEKDAYS[ry.weekday()]}, {hd} {HIJRI_EN[hm - 1]} {hy} AH - {ry.day:02d} {EN_MONTHS[ry.month - 1]} {ry.year}')
        upd = f"Updated {ru.day:02d} {EN_MONTHS[ru.month - 1]} {ru.year} {h12(ru)} AST"
        by = '<div class="author-box">' + ", ".join(f'<a href="/author/{i}{k}">{e(a)}</a>' for k, a in enumerate(s["authors"])) + "</div>"
    body = (f'<div class="top-bar"><span class="today">{date.split(" <span")[0]}</span></div>'
            f'<header class="main-header"><a href="/" class="logo"><img src="/logo.svg" alt="{e(site)}"></a></header>'
            f'<div class="node-article"><div class="article-date">{date}</div><h1 class="article-title">{e(s["title"])}</h1>{by}'
            f'<div class="updated">{upd}</div><div class="article-body">{ps(s["paras"])}</div>'
            f'<div class="share">{"Share" if lang == "en" else "شارك"}</div></div>'
            f'<div class="region-sidebar">{teasers(lang, "most-read-block", "Most Read" if lang == "en" else "الأكثر قراءة", i)}</div>')
    return dict(head=head, body=body, tag=lang, updated=u, exclude=[TEASERS[lang][1], upd, f"{hy}"])


def m_maghreb(lang, s, p, u, site, i):
    ma = ZoneInfo("Africa/Casablanca")
    lp = p.astimezone(ma)
    off = int(lp.utcoffset().total_seconds() // 3600)
    head = (f'<title>{e(site)}</title><meta property="og:site_name" content="{e(site)}">'
            f'<meta property="og:title" content="{e(s["title"])}"><meta property="og:type" content="article">'
            f'<meta name="description" content="{e(s["paras"][0][:100])}">'
            f'<meta property="article:modified_time" content="{u.astimezone(ma).isoformat(timespec="seconds")}">')
    if lang == "ar":
        shown = f"نشر في: {AR_WEEKDAYS[lp.weekday()]} {lp.day} {MOROCCAN_MONTHS[lp.month - 1]} {lp.year} - {lp:%H:%M} (GMT+{off})"
        writer = f"{site} - {s['authors'][0]}"
        comments = "التعليقات (0)"
    else:
        shown = f"Published on {lp.day} {EN_MONTHS[lp.month - 1]} {lp.year} at {lp:%H:%M} (GMT+{off})"
        writer = f"{site} - {s['authors'][0]}"
        comments = "Comments (0)"
    body = (f'<nav class="navbar"><h1 class="site-logo"><a href="/"><img src="/logo.png" alt="{e(site)}"></a></h1>'
            f'<ul class="menu"><li><a href="/politique">{"Politics" if lang == "en" else "سياسة"}</a></li></ul></nav>'
            f'<div class="container"><div class="article-head"><div class="post-cat"><a href="/c/1">{"Society" if lang == "en" else "مجتمع"}</a></div>'
            f'<div class="post-title-wrapper"><span class="titr">{e(s["title"])}</span></div>'
            f'<div class="post-meta"><span class="writer">{e(writer)}</span><span class="date-post">{shown}</span></div></div>'
            f'<div class="article-content">{ps(s["paras"])}</div><div class="comments-count">{comments}</div>'
            f'<div class="related-posts">{teasers(lang, "related", "Related" if lang == "en" else "مقالات مشابهة", i)}</div></div>')
    return dict(head=head, body=body, tag=lang, updated=u, authors=[s["authors"][0]],
                exclude=[TEASERS[lang][1], shown, comments])


def m_levant(lang, s, p, u, site, i):
    bt = ZoneInfo("Asia/Beirut")
    lp, lu = p.astimezone(bt), u.astimezone(bt)
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": s["title"],
          "datePublished": lp.isoformat(timespec="seconds"), "publisher": {"@type": "NewsMediaOrganization", "name": site}}
    head = f'<title>{e(s["title"])} | {e(site)}</title>' + ldjson(ld)
    if lang == "ar":
        pub = f"{AR_WEEKDAYS[lp.weekday()]} {lp.day} {LEVANT_MONTHS[lp.month - 1]} {lp.year}"
        upd = f"آخر تحديث: {lu.day} {LEVANT_MONTHS[lu.month - 1]} {lu.year} - {lu:%H:%M} بتوقيت بيروت"
        lbl = "الكاتب:"
    else:
        pub = f"{AP_MONTHS[lp.month - 1]} {lp.day}, {lp.year}"
        upd = f"Last updated: {AP_MONTHS[lu.month - 1]} {lu.day}, {lu.year} | {h12(lu)} (Beirut time)"
        lbl = "Author:"
    authors = (" و" if lang == "ar" else ", ").join(f'<a href="/author/{k}">{e(a)}</a>' for k, a in enumerate(s["authors"]))
    body = (f'<div class="header-top"><div class="date-today">{pub}</div><a href="/" class="logo">{e(site)}</a></div>'
            f'<section class="article-section"><div class="article-header"><h1 class="title">{e(s["title"])}</h1>'
            f'<div class="article-info"><div class="info-author"><span class="label">{lbl}</span></div><div class="info-author-names">{authors}</div>'
            f'<div class="info-date"><span>{pub}</span></div><div class="info-updated">{upd}</div></div></div>'
            f'<div class="article-text">{ps(s["paras"])}</div>'
            f'<div class="article-tags"><span>{"Tags" if lang == "en" else "الكلمات المفتاحية"}</span><a href="/t/1">{"Beirut" if lang == "en" else "بيروت"}</a></div></section>'
            f'<section class="more-news">{teasers(lang, "block-list", "More News" if lang == "en" else "المزيد من الأخبار", i)}</section>')
    return dict(head=head, body=body, tag=lang, updated=u, exclude=[TEASERS[lang][1], upd, lbl])


def m_hentry(lang, s, p, u, site, i):
    z = timezone(timedelta(hours=2))
    lp, lu = p.astimezone(z), u.astimezone(z)
    cards = (" و" if lang == "ar" else " and ").join(
        f'<a class="p-author h-card" href="https://a{k}.example/">{e(a)}</a>' for k, a in enumerate(s["authors"]))
    if lang == "en":
        pshown, ushown = f"{lp:%d %B %Y, %H:%M}", f"{lu:%d %B %Y, %H:%M}"
        lead_p, lead_u, wm, likes = "Posted", "updated", "Webmentions", f"{4 + i} likes"
        reply = "Great write-up, thanks for sharing this."
    else:
        pshown = f"{lp.day} {EG_MONTHS[lp.month - 1]} {lp.year}، {lp:%H:%M}"
        ushown = f"{lu.day} {EG_MONTHS[lu.month - 1]} {lu.year}، {lu:%H:%M}"
        lead_p, lead_u, wm, likes = "نشرت", "وحدّثت", "الإشارات", f"{4 + i} إعجابات"
        reply = "مقال رائع، شكراً على المشاركة."
    head = f'<title>{e(s["title"])} · {e(site)}</title><link rel="webmention" href="https://webmention.example/{i}">'
    body = (f'<header class="site"><a class="u-url p-name" href="/" rel="home">{e(site)}</a></header>'
            f'<main><article class="h-entry"><h1 class="p-name">{e(s["title"])}</h1>'
            f'<p class="meta">{lead_p} <time class="dt-published" datetime="{lp.isoformat(timespec="seconds")}">{pshown}</time>, '
            f'{lead_u} <time class="dt-updated" datetime="{lu.isoformat(timespec="seconds")}">{ushown}</time> — {cards}</p>'
            f'<div class="e-content">{ps(s["paras"])}</div>'
            f'<a class="u-url" href="/{i}/">#</a></article>'
            f'<section class="webmentions"><h2>{wm}</h2><p class="likes">{likes}</p>'
            f'<div class="h-cite p-comment"><a class="p-author h-card" href="https://r.example/">{"Dana" if lang == "en" else "دانة"}</a>'
            f'<p class="p-content">{e(reply)}</p></div></section>'
            f'<nav class="pager">{teasers(lang, "older", "Older posts" if lang == "en" else "تدوينات أقدم", i)}</nav></main>')
    return dict(head=head, body=body, tag=lang, updated=u, exclude=[TEASERS[lang][1], reply, likes])


MARKUPS = {"ghost": m_ghost, "blogger": m_blogger, "joomla": m_joomla, "medium": m_medium, "substack": m_substack,
           "liveblog": m_liveblog, "hijri": m_hijri, "maghreb": m_maghreb, "levant": m_levant, "hentry": m_hentry}
# Months that put the regional names on the page: the Moroccan page in August (غشت), the Algerian live
# page in January (جانفي), the Levant page in January (كانون الثاني).
MONTH = {("maghreb", "ar"): 8, ("liveblog", "ar"): 1, ("levant", "ar"): 1, ("maghreb", "en"): 5}


def build() -> list[dict]:
    rows = []
    pages_dir = HERE / "pages"
    for mi, (markup, make) in enumerate(MARKUPS.items()):
        for li, (lang, stories) in enumerate((("en", EN), ("ar", AR))):
            k = mi * 2 + li
            s = stories[(mi + 1 + 2 * li) % len(stories)]
            site = SITES[lang][(mi + li) % len(SITES[lang])]
            month = MONTH.get((markup, lang), 1 + (k * 5) % 12)
            p = datetime(2023, month, 2 + (k * 7) % 25, 5 + k % 12, (k * 11 + 3) % 60, tzinfo=UTC)
            u = p + timedelta(hours=1 + k % 5, minutes=9 + (k * 13) % 40)
            d = make(lang, s, p, u, site, 200 + k)
            pid = f"fresh2-{markup}-{lang}"
            (pages_dir / f"{pid}.html").write_text(page(d["tag"], d["head"], d["body"], "rtl" if lang == "ar" else "ltr"),
                                                   encoding="utf-8")
            upd = d.get("updated")
            rows.append(dict(id=pid, set="fresh2", markup=markup, lang=lang, shape=markup, site=site,
                             url=f"https://{markup}.example/{lang}/{200 + k}",
                             fetched_at=(d.get("fetched") or u + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                             title=s["title"], authors=d.get("authors", s["authors"]),
                             published=p.strftime("%Y-%m-%dT%H:%M:00Z"),
                             updated=upd.strftime("%Y-%m-%dT%H:%M:00Z") if upd else None,
                             include=[s["paras"][0], s["paras"][-1]],
                             exclude=[x for x in d["exclude"] if x] + [TEASERS[lang][3], site]))
    path = HERE / "truth.json"
    kept = [r for r in json.loads(path.read_text(encoding="utf-8")) if r.get("set", "dev") != "fresh2"]
    path.write_text(json.dumps(kept + rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return rows


if __name__ == "__main__":
    print(len(build()), "fresh2 pages written to", HERE / "pages")
