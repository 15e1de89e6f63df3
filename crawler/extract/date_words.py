"""Tables for reading dates the way Arabic and English news pages print them.

Heuristics as data: a region's month names, a time-zone phrase, a label that says "published" or
"updated" are one line each here. Arabic keys are written as printed; dates.py normalizes them.
"""

MONTHS = {
    # Egyptian / Gulf (transliterated), Levantine/Iraqi (Syriac), Maghrebi (French-derived)
    1: "يناير كانون الثاني جانفي january jan", 2: "فبراير شباط فيفري فبرير february feb",
    3: "مارس آذار march mar", 4: "أبريل إبريل ابريل نيسان أفريل april apr", 5: "مايو أيار ماي may",
    6: "يونيو يونية حزيران جوان june jun", 7: "يوليو يولية تموز جويلية يوليوز july jul",
    8: "أغسطس آب أوت غشت august aug", 9: "سبتمبر أيلول شتنبر september sep sept",
    10: "أكتوبر تشرين الأول october oct", 11: "نوفمبر تشرين الثاني نونبر november nov",
    12: "ديسمبر كانون الأول دجنبر december dec",
}
# Two-word Levantine names must be matched before their one-word prefixes.
MULTIWORD_MONTHS = {"كانون الثاني": 1, "تشرين الأول": 10, "تشرين الثاني": 11, "كانون الأول": 12}

# Time-zone phrases -> an IANA zone (so daylight saving is right) or a fixed offset in minutes.
TIMEZONES = {
    "بتوقيت غرينتش": "UTC", "بتوقيت جرينتش": "UTC", "بتوقيت غرينيتش": "UTC", "بتوقيت جرينيتش": "UTC",
    "غرينتش": "UTC", "جرينتش": "UTC", "gmt": "UTC", "utc": "UTC",
    "بتوقيت مكة المكرمة": "Asia/Riyadh", "بتوقيت مكة": "Asia/Riyadh", "بتوقيت السعودية": "Asia/Riyadh",
    "بتوقيت الرياض": "Asia/Riyadh", "بتوقيت القدس": "Asia/Jerusalem", "بتوقيت فلسطين": "Asia/Gaza",
    "بتوقيت القاهرة": "Africa/Cairo", "بتوقيت مصر": "Africa/Cairo", "بتوقيت الدوحة": "Asia/Qatar",
    "بتوقيت أبوظبي": "Asia/Dubai", "بتوقيت الإمارات": "Asia/Dubai", "بتوقيت دبي": "Asia/Dubai",
    "بتوقيت بيروت": "Asia/Beirut", "بتوقيت دمشق": "Asia/Damascus", "بتوقيت بغداد": "Asia/Baghdad",
    "بتوقيت عمان": "Asia/Amman", "بتوقيت الكويت": "Asia/Kuwait", "بتوقيت المغرب": "Africa/Casablanca",
    "بتوقيت الجزائر": "Africa/Algiers", "بتوقيت تونس": "Africa/Tunis", "بتوقيت إسطنبول": "Europe/Istanbul",
    "بتوقيت أنقرة": "Europe/Istanbul", "bst": "Europe/London", "edt": "America/New_York",
    "est": "America/New_York", "et": "America/New_York", "cet": "Europe/Paris", "cest": "Europe/Paris",
    "ist": "Asia/Kolkata", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
}

# Labels that say which stamp a phrase is.
LABELS = {
    "published": ["تم النشر", "نشر في", "نُشر في", "تاريخ النشر", "نشر بتاريخ", "تاريخ النشر:", "نشر",
                  "published on", "published", "first published", "posted on", "posted"],
    "updated": ["تم التحديث", "آخر تحديث", "اخر تحديث", "محدثة", "محدث", "تحديث", "updated on", "last updated",
                "updated", "last modified", "modified"],
}

PM_MARKERS = ["م", "مساء", "مساءً", "ظهرا", "pm", "p.m.", "ب.ظ"]
AM_MARKERS = ["ص", "صباحا", "صباحاً", "فجرا", "am", "a.m."]

# Relative stamps: "قبل 12 دقيقة", "منذ ساعتين", "2 hours ago". Unit words -> seconds; dual forms
# ("ساعتين", two hours) carry their own count.
RELATIVE_UNITS = {
    "ثانية ثوان ثواني second seconds sec secs": 1,
    "دقيقة دقائق دقيقه minute minutes min mins": 60,
    "ساعة ساعات hour hours hr hrs": 3600,
    "يوم أيام ايام يوما day days": 86400,
    "أسبوع أسابيع اسبوع week weeks": 604800,
}
RELATIVE_DUALS = {"دقيقتين": 120, "دقيقتان": 120, "ساعتين": 7200, "ساعتان": 7200, "يومين": 172800, "يومان": 172800,
                  "أسبوعين": 1209600}
RELATIVE_BEFORE = ["قبل", "منذ"]       # Arabic puts the marker first
RELATIVE_AFTER = ["ago"]               # English puts it last
RELATIVE_ONE = ["an", "a", "one"]      # "an hour ago"

# Persian (Solar Hijri / Jalali) months, for Persian pages: "2 تیر 1399" is 22 June 2020. Read only with a
# Jalali year (JALALI_YEARS); an Islamic (lunar Hijri) year such as 1442 هـ is not converted.
JALALI_MONTHS = {1: "فروردین", 2: "اردیبهشت", 3: "خرداد", 4: "تیر", 5: "مرداد امرداد", 6: "شهریور", 7: "مهر",
                 8: "آبان", 9: "آذر", 10: "دی", 11: "بهمن", 12: "اسفند"}
JALALI_YEARS = (1300, 1420)
HIJRI_MARKERS = ["هـ", "ه.", "هجري", "هجرية"]
