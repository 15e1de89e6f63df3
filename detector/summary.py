"""Changes in words an editor reads at a glance, in English and in Arabic.

`describe(change)` gives one phrase per change ("killed: 17 → 22 (up)", "updated 13:55 → 13:58 GMT");
`summarize(changes)` joins the phrases that matter into one line, folding sentence changes into counts
("1 paragraph added", "+2 sentences") and leaving out what another phrase already says.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from .models import Change

MEASURE_NAMES = {
    "en": {"killed": "killed", "injured": "injured", "missing": "missing", "arrested": "arrested",
           "displaced": "displaced", "cases": "cases", "other": "figure"},
    "ar": {"killed": "القتلى", "injured": "الجرحى", "missing": "المفقودون", "arrested": "المعتقلون",
           "displaced": "النازحون", "cases": "الإصابات", "other": "الرقم"},
}
DIRECTIONS = {"en": {"up": "up", "down": "down", "gone": "no longer stated"},
              "ar": {"up": "ارتفاع", "down": "انخفاض", "gone": "لم يعد مذكوراً"}}
PHRASES = {
    "en": {"title_changed": "headline changed", "byline_changed": "byline changed",
           "correction_added": "correction added", "cosmetic": "cosmetic edits only",
           "removed": "taken down (HTTP {status})", "updated": "updated {old} → {new} GMT",
           "published": "publication time {old} → {new} GMT", "stamp_appeared": "{what} stamp now {new} GMT",
           "stamp_gone": "{what} stamp removed", "paragraphs_added": "{n} paragraph{s} added",
           "sentences_added": "+{n} sentence{s}", "sentences_removed": "−{n} sentence{s}",
           "sentences_edited": "{n} sentence{s} edited", "sentences_moved": "{n} sentence{s} moved",
           "nothing": "no change", "minor": "minor text changes (labels, counters)",
           "live_entries": "live blog: +{n} entr{s}", "typos": "{n} spelling fix{s}",
           "fetch_failing": "{n} failed checks in a row ({error})",
           "redirect_home": "taken down: now redirects to the home page", "redirect_section":
           "taken down: now redirects to a section page ({path})", "soft_404":
           "taken down: the page now says it is not found (HTTP {status})", "body_vanished":
           "taken down: the article text gave way to a notice", "noindex":
           "hidden from search engines: noindex appeared ({source})", "feed_dropout":
           "dropped out of its feed while still served", "headline_test":
           "probable headline A/B test ({n} variants)", "headline_test_repeat": "headline A/B test: flip {flips}",
           "restamped": "re-stamped {old} → {new} GMT, no content change"},
    "ar": {"title_changed": "تغيّر العنوان", "byline_changed": "تغيّر اسم الكاتب",
           "correction_added": "أضيف تصحيح", "cosmetic": "تعديلات شكلية فقط",
           "removed": "حُذف المقال (HTTP {status})", "updated": "التحديث من {old} إلى {new} بتوقيت غرينتش",
           "published": "وقت النشر من {old} إلى {new} بتوقيت غرينتش",
           "stamp_appeared": "ختم {what} صار {new} بتوقيت غرينتش", "stamp_gone": "حُذف ختم {what}",
           "paragraphs_added": "أضيفت فقرات: {n}", "sentences_added": "أضيفت جمل: {n}",
           "sentences_removed": "حُذفت جمل: {n}", "sentences_edited": "عُدّلت جمل: {n}",
           "sentences_moved": "نُقلت جمل: {n}", "nothing": "لا تغيير",
           "minor": "تغييرات طفيفة (عناوين فرعية أو عدادات)", "live_entries": "تغطية مباشرة: أضيفت مداخلات: {n}",
           "typos": "تصحيحات إملائية: {n}", "fetch_failing": "فشل الجلب {n} مرات متتالية ({error})",
           "redirect_home": "حُذف المقال: الرابط يحوّل الآن إلى الصفحة الرئيسية",
           "redirect_section": "حُذف المقال: الرابط يحوّل الآن إلى صفحة قسم ({path})",
           "soft_404": "حُذف المقال: الصفحة تقول الآن إنها غير موجودة (HTTP {status})",
           "body_vanished": "حُذف المقال: حلّ إشعار محل نص المقال",
           "noindex": "أُخفي عن محركات البحث: ظهر وسم noindex ({source})",
           "feed_dropout": "اختفى من خلاصة الموقع مع أنه ما زال منشوراً",
           "headline_test": "اختبار عناوين محتمل (A/B)، عدد الصيغ: {n}", "headline_test_repeat": "اختبار عناوين: تبديل رقم {flips}",
           "restamped": "تغيّر ختم التحديث من {old} إلى {new} بتوقيت غرينتش دون تغيير في المحتوى"},
}


def short_time(old: str | None, new: str | None) -> tuple[str, str]:
    """'13:55' and '13:58' when both stamps share a day, full 'YYYY-MM-DD HH:MM' otherwise."""
    def parts(v):
        return (v[:10], v[11:16]) if v and len(v) >= 16 else (v or "", "")
    (od, ot), (nd, nt) = parts(old), parts(new)
    if od == nd and ot and nt:
        return ot, nt
    return f"{od} {ot}".strip(), f"{nd} {nt}".strip()


def describe(change: Change, lang: str = "en") -> str:
    p = PHRASES[lang]
    k = change.kind
    if k == "figure_changed":
        name = MEASURE_NAMES[lang].get(change.field, change.field)
        direction = DIRECTIONS[lang].get(change.detail.get("direction", ""), "")
        old = "—" if change.old is None else change.old
        new = "—" if change.new is None else change.new
        if lang == "ar":
            return f"{name}: من {old} إلى {new} ({direction})"
        return f"{name}: {old} → {new} ({direction})"
    if k == "title_changed" and change.detail.get("headline_test"):
        test = change.detail["headline_test"]
        if test.get("repeat"):
            return p["headline_test_repeat"].format(flips=test.get("flips"))
        return p["headline_test"].format(n=len(test.get("variants") or ()))
    if k == "updated_time_changed" and change.detail.get("restamped"):
        old, new = short_time(change.old, change.new)
        return p["restamped"].format(old=old, new=new)
    if k in ("updated_time_changed", "published_time_changed"):
        what = {"en": {"updated_time_changed": "updated", "published_time_changed": "published"},
                "ar": {"updated_time_changed": "التحديث", "published_time_changed": "النشر"}}[lang][k]
        if change.old and change.new:
            old, new = short_time(change.old, change.new)
            return p["updated" if k == "updated_time_changed" else "published"].format(old=old, new=new)
        if change.new:
            return p["stamp_appeared"].format(what=what, new=short_time(None, change.new)[1])
        return p["stamp_gone"].format(what=what)
    if k == "removed":
        kind = change.detail.get("takedown")
        if kind in p:
            path = urlsplit(change.detail.get("final_url") or "").path or "/"
            return p[kind].format(status=change.new, source=change.detail.get("source", ""), path=path)
        return p["removed"].format(status=change.new)
    if k == "fetch_failing":
        return p["fetch_failing"].format(n=change.new, error=change.detail.get("error", ""))
    if k == "sentence_added" and change.detail.get("whole_paragraph"):
        return p["paragraphs_added"].format(n=1, s="")
    if k.startswith("sentence_"):
        key = {"sentence_added": "sentences_added", "sentence_removed": "sentences_removed",
               "sentence_edited": "sentences_edited", "sentence_moved": "sentences_moved"}[k]
        return p[key].format(n=1, s="")
    return p.get(k, k)


def _count(p, key, n):
    return p[key].format(n=n, s="" if n == 1 else ("es" if key == "typos" else "s"))


def summarize(changes, lang: str = "en") -> str:
    """One line for a version: figures first, then stamps, headline, corrections, then sentence counts."""
    p = PHRASES[lang]
    minor = [c for c in changes if c.detail.get("fragment")]
    changes = [c for c in changes if c.detail.get("explained_by") is None and not c.detail.get("fragment")]
    if not changes:
        return p["minor"] if minor else p["nothing"]
    order = ["removed", "fetch_failing", "figure_changed", "updated_time_changed", "published_time_changed",
             "title_changed", "correction_added", "byline_changed"]
    parts = [describe(c, lang) for k in order for c in changes if c.kind == k]
    for c in changes:
        if c.kind == "sentence_added" and c.detail.get("live_blog"):
            parts.append(p["live_entries"].format(n=c.detail["entries"], s="y" if c.detail["entries"] == 1 else "ies"))
    added = [c for c in changes if c.kind == "sentence_added" and not c.detail.get("live_blog")]
    whole = {c.detail.get("paragraph") for c in added if c.detail.get("whole_paragraph")}
    loose_added = [c for c in added if not c.detail.get("whole_paragraph")]
    if whole:
        parts.append(_count(p, "paragraphs_added", len(whole)))
    typos = [c for c in changes if c.kind == "sentence_edited" and c.detail.get("typo")]
    edits = [c for c in changes if c.kind == "sentence_edited" and not c.detail.get("typo")]
    for kind, key, items in (("sentence_added", "sentences_added", loose_added),
                             ("sentence_removed", "sentences_removed", None),
                             ("sentence_edited", "sentences_edited", edits),
                             ("sentence_moved", "sentences_moved", None),
                             ("typo", "typos", typos)):
        n = len(items) if items is not None else sum(1 for c in changes if c.kind == kind)
        if n:
            parts.append(_count(p, key, n))
    if not parts and any(c.kind == "cosmetic" for c in changes):
        parts.append(p["cosmetic"])
    return " · ".join(parts)
