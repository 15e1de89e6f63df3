"""The validity gate (crawler/validity.py): broken, blocked and not-found responses never become versions,
and real articles (also ones that mention "captcha" or "404") always pass.

Pages are made here in the markups their vendors and sites print; each goes through the real extractor
first, as in the analysis step. Every real page of ../shared/corpora: tests/test_validity_corpora.py.
"""
from __future__ import annotations

import os
import random

import pytest

from crawler.extract import extract
from crawler.validity import LIMITS, assess, html_closed
from detector.models import Article

HTML = {"Content-Type": "text/html; charset=utf-8"}
STORY = ("The regional council approved the new budget on Tuesday after a long debate about schools, "
         "roads and the hospital that was promised three years ago. ")


def page(title: str, body: str, lang: str = "en", head: str = "") -> bytes:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
            f"<body>{body}</body></html>").encode()


def judge(body: bytes, headers=HTML, status=200, previous=None, previous_complete=None, url="https://news.example/a"):
    try:
        article = extract(body, url=url, content_type=headers.get("Content-Type"))
    except Exception:
        article = None
    return assess(status=status, headers=headers, body=body, article=article, previous_text_chars=previous,
                  previous_complete=previous_complete)


def article_page(paragraphs: list[str], title="Council approves the budget", lang="en") -> bytes:
    nav = '<nav><a href="/">Home</a> <a href="/world/">World</a> <a href="/sport/">Sport</a></nav>'
    ps = "".join(f"<p>{p}</p>" for p in paragraphs)
    return page(f"{title} | The Herald", f'{nav}<article><h1>{title}</h1>{ps}</article><footer>© The Herald</footer>', lang)


def story(n: int) -> list[str]:
    """n distinct paragraphs (the extractor drops repeated ones)."""
    return [f"Paragraph {i}: " + STORY.replace("Tuesday", f"day {i}") * 3 for i in range(n)]


REAL = article_page(story(6))
REAL_CHARS = len(extract(REAL, url="https://news.example/a").text)


# --- Real articles pass -----------------------------------------------------------------------------

def test_a_real_article_passes():
    assert judge(REAL) is None
    assert REAL_CHARS > 2000
    assert judge(REAL, previous=REAL_CHARS, previous_complete=True) is None
    assert judge(REAL, previous=REAL_CHARS * 3, previous_complete=True) is None      # a third: not drastic


def test_articles_that_mention_captcha_bot_checks_and_404_pass():
    long = article_page([
        "Researchers say the captcha that asks users to prove they are not a robot is getting harder to solve.",
        "The Cloudflare page that says Just a moment... while checking your browser is now seen by millions.",
        "The site showed a 404 page not found error for hours, and readers saw 'Access denied' instead.",
        "Checking if the site connection is secure, the message read, before readers gave up.",
        *story(3)], title="Why captcha tests and 404 pages are everywhere")
    assert judge(long) is None
    brief = article_page(["Readers were asked to solve a captcha and saw a 404 error page on the ministry site.",
                          "The ministry said the page not found error was fixed on Monday. " + STORY],
                         title="404 days in captivity: the hostages' story")
    assert judge(brief) is None
    arabic = article_page(["قال المرصد إن الصفحة غير موجودة على موقع الوزارة منذ يومين، وإن اختبار captcha يمنع الزوار.",
                           "وأضاف أن عدد القتلى ارتفع إلى 22 في الغارات الجوية على المنطقة الحدودية. " * 4],
                          title="الوزارة: الصفحة غير موجودة منذ يومين", lang="ar")
    assert judge(arabic) is None


# --- Bot checks, consent walls, soft 404s ------------------------------------------------------------

CLOUDFLARE = page("Just a moment...", """
<div class="main-wrapper" role="main"><div class="main-content">
<h1 class="zone-name-title h1">news.example</h1>
<h2 class="h2" id="challenge-running">Checking if the site connection is secure</h2>
<noscript><div class="h2"><span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></noscript>
<div id="challenge-body-text" class="core-msg spacer">news.example needs to review the security of your connection before proceeding.</div>
</div></div>
<script>(function(){window._cf_chl_opt={cvId: '2',cZone: "news.example",cType: 'managed'};
var cpo=document.createElement('script');cpo.src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=7d1';
document.getElementsByTagName('head')[0].appendChild(cpo);}());</script>
<div class="footer" role="contentinfo"><div class="footer-inner"><div class="clearfix diagnostic-wrapper">
<div class="ray-id">Ray ID: <code>7d1e2f3a4b5c6d7e</code></div></div>
<div class="text-center" id="footer-text">Performance &amp; security by Cloudflare</div></div></div>""")

DATADOME = page("news.example", """<p style="display:none">Please enable JS and disable any ad blocker</p>
<script>var dd={'rt':'c','cid':'AHrlqAAAAAMA','hsh':'2211F522B61E269B869FA6EAFFB5E1','t':'fe','s':4980,
'host':'geo.captcha-delivery.com'}</script><script src="https://ct.captcha-delivery.com/c.js"></script>""")

CAPTCHA = page("Are you a robot?", """<div class="box"><h1>Are you a robot?</h1>
<p>Our systems have detected unusual traffic from your computer network. Please complete the security check
to access news.example.</p><form><div class="g-recaptcha" data-sitekey="6Lc"></div><button>Continue</button></form></div>""")

AKAMAI = page("Access Denied", """<h1>Access Denied</h1>
You don't have permission to access "http&#58;&#47;&#47;news&#46;example&#47;a" on this server.<p>
Reference&#32;&#35;18&#46;2d1f3217&#46;1690000000&#46;1a2b3c4d
<p>https&#58;&#47;&#47;errors&#46;edgesuite&#46;net&#47;18&#46;2d1f3217</p>""")

ARABIC_CHECK = page("التحقق الأمني", "<h1>التحقق الأمني</h1><p>هل أنت إنسان؟ يرجى إكمال اختبار captcha للمتابعة إلى الموقع.</p>", "ar")

FRENCH_CHECK = page("Un instant…", "<h1>news.example</h1><p>Vérification de la sécurité de votre connexion avant de continuer.</p>", "fr")

GOOGLE_CONSENT = page("Before you continue to YouTube", """<h1>Before you continue to YouTube</h1>
<p>We use cookies and data to deliver and maintain services, measure audience engagement.</p>
<form action="https://consent.youtube.com/save"><button>Reject all</button><button>Accept all</button></form>""")

COOKIE_WALL = page("The Herald", """<div class="wall"><h2>Read The Herald for free</h2>
<p>Accept all cookies to continue reading, or subscribe to read without ads and tracking for 4.99 a month.</p>
<button>Accept and continue</button><button>Subscribe</button></div>""")

SOFT_404_EN = page("Page not found | The Herald", """<nav><a href="/">Home</a> <a href="/world/">World</a></nav>
<main><h1>Oops! We can't find that page</h1><p>The page you are looking for could not be found. It may have been
moved or deleted.</p><h2>Most read</h2><ul><li><a href="/a">Council approves budget</a></li>
<li><a href="/b">Storm closes the port</a></li></ul></main>""")

SOFT_404_AR = page("الصفحة غير موجودة - عربي بوست", """<nav><a href="/">الرئيسية</a> <a href="/news/">أخبار</a></nav>
<main><h1>عذراً، الصفحة غير موجودة</h1><p>الصفحة التي تبحث عنها غير موجودة أو ربما تم نقلها.</p>
<ul><li><a href="/x">مقتل 22 شخصاً في غارة</a></li></ul></main>""", "ar")

SOFT_404_ES = page("Página no encontrada - El Diario", "<h1>Error 404</h1><p>La página que buscas no existe.</p>", "es")


@pytest.mark.parametrize("body, reason", [
    (CLOUDFLARE, "bot check: Cloudflare challenge"),
    (DATADOME, "bot check: DataDome"),
    (CAPTCHA, "bot check: captcha"),
    (AKAMAI, "bot check: Akamai"),
    (ARABIC_CHECK, "bot check: captcha"),
    (FRENCH_CHECK, "bot check: Cloudflare challenge"),
    (GOOGLE_CONSENT, "consent wall: Google"),
    (COOKIE_WALL, "consent wall: cookie wall"),
])
def test_bot_checks_and_consent_walls_are_refused(body, reason):
    assert judge(body) == reason


@pytest.mark.parametrize("body, phrase", [
    (SOFT_404_EN, "page not found"), (SOFT_404_AR, "الصفحة غير موجودة"), (SOFT_404_ES, "404"),
    (page("404", "<h1>404</h1><p>Nothing here.</p>"), "404"),
])
def test_soft_404_pages_are_refused(body, phrase):
    reason = judge(body)
    assert reason.startswith("not found page: ") and phrase in reason


@pytest.mark.parametrize("body, phrase", [
    (b'<html><head><title>302 Found</title></head><body><h1>Found</h1><p>The document has moved '
     b'<a href="ftp://x/">here</a>.</p></body></html>', "302 found"),
    (page("502 Bad Gateway", "<center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>"), "502 bad gateway"),
    (page("Database Error", "<h1>Error establishing a database connection</h1>"), "error establishing a database connection"),
    (page("الموقع تحت الصيانة", "<h1>الموقع تحت الصيانة</h1><p>نعود قريبا.</p>", "ar"), "الموقع تحت الصيانة"),
])
def test_error_pages_served_as_200_are_refused(body, phrase):
    assert judge(body) == f"error page: {phrase}"


def test_soft_404_in_windows_1256_declared_only_in_the_header():
    body = SOFT_404_AR.replace(b'<meta charset="utf-8">', b"").decode().encode("cp1256")
    assert judge(body, headers={"Content-Type": "text/html; charset=windows-1256"}).startswith("not found page")


# --- Broken responses --------------------------------------------------------------------------------

def test_body_shorter_than_content_length():
    headers = {**HTML, "Content-Length": str(len(REAL) + 1000)}
    assert judge(REAL, headers=headers) == f"incomplete: body shorter than Content-Length ({len(REAL):,} of {len(REAL) + 1000:,} bytes)"
    assert judge(REAL, headers={**HTML, "content-length": str(len(REAL))}) is None


def test_html_cut_short():
    cut = REAL[: len(REAL) * 2 // 3]
    assert not html_closed(cut) and html_closed(REAL)
    assert judge(cut) == "incomplete: HTML cut short (no closing </html>)"
    at_tag = cut[: cut.rindex(b"</p>") + 4]                 # cut right after a tag
    assert judge(at_tag, previous_complete=True) == "incomplete: HTML cut short (no closing </html>)"
    # a site that never closes its pages: a page ending at a tag is whole
    assert judge(at_tag, previous_complete=False) is None
    fragment = b"<div><h1>Council approves the budget</h1>" + b"<p>" + STORY.encode() * 10 + b"</p></div>"
    assert judge(fragment) is None                           # never opened <html>/<body>: nothing to close


def test_binary_bodies_are_not_html():
    rnd = random.Random(7)
    no_nul = bytes(rnd.choice([b for b in range(256) if b]) for _ in range(8000))
    assert judge(no_nul).startswith("not HTML: binary content")
    assert judge(REAL[:500] + b"\x00\x00\x00" + REAL[500:]) == "not HTML: binary content (NUL bytes)"
    assert judge(os.urandom(5000) + b"\x00") .startswith("not HTML: binary content")
    assert judge(REAL, headers={"Content-Type": "image/png"}) == "not HTML: Content-Type image/png"
    utf16 = b"\xff\xfe" + REAL.decode().encode("utf-16-le")
    assert judge(utf16) is None                              # UTF-16 has NULs and is text


def test_empty_pages():
    shell = page("", '<div id="app"></div><script src="/app.js"></script>')
    assert judge(shell) == "empty page: no title and no text"
    soup = b"<html><body><div><span><div><p><b><i><div><span>" * 50
    assert judge(soup) in ("empty page: no title and no text", "incomplete: HTML cut short (no closing </html>)")
    assert judge(b"") == "empty page: empty body" and judge(b"  \n ") == "empty page: empty body"
    assert judge(b"", status=204) == "empty page: no content (HTTP 204)"
    assert judge(REAL, status=206) == "incomplete: partial content (HTTP 206)"


def test_other_statuses_are_not_judged():
    for status in (304, 404, 410, 500):
        assert judge(SOFT_404_EN, status=status) is None


def test_drastically_shorter_than_the_last_version():
    short = Article(url="u", title="Council approves the budget", text="The council met. " * 7)
    n = len(short.text.strip())
    assert assess(status=200, headers=HTML, body=REAL, article=short, previous_text_chars=5400) == (
        f"drastically shorter than the last version ({n} of 5,400 characters) with no take-down sign")
    assert assess(status=200, headers=HTML, body=REAL, article=short, previous_text_chars=400) is None
    assert assess(status=200, headers=HTML, body=REAL, article=short, previous_text_chars=None) is None
    assert assess(status=200, headers=HTML, body=REAL, article=short,
                  previous_text_chars=int(n / LIMITS["shrink_ratio"]) - 1) is None
    for notice in ("Editor's note: this article has been removed at the request of the family.",
                   "تم حذف هذا المقال بناء على طلب الجهة المعنية.",
                   "Cet article a été retiré à la demande de la justice.",
                   "Este artículo ha sido retirado por razones legales."):
        gone = Article(url="u", title="Council approves the budget", text=notice)
        assert assess(status=200, headers=HTML, body=REAL, article=gone, previous_text_chars=5400) is None, notice


def test_article_none_runs_only_the_response_checks():
    assert assess(status=200, headers=HTML, body=SOFT_404_EN, article=None, previous_text_chars=None) is None
    assert assess(status=200, headers=HTML, body=b"\x00" * 10, article=None, previous_text_chars=None).startswith("not HTML")
