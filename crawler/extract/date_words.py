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

# Time-zone phrases -> an IANA zone (so daylight saving is right) or a fixed offset in minutes. Wire
# services print US and European abbreviations ("1:58 PM ET", "10:00 BST"); Gulf outlets print their
# own ("GST", "KSA time"); Arabic pages name a city or country ("بتوقيت مكة المكرمة"). An abbreviation
# that names two zones is listed with the reading news pages mean by it (IST: India; AST: Arabia, as the
# English-language Gulf press uses it).
TIMEZONES = {
    "بتوقيت غرينتش": "UTC", "بتوقيت جرينتش": "UTC", "بتوقيت غرينيتش": "UTC", "بتوقيت جرينيتش": "UTC",
    "غرينتش": "UTC", "جرينتش": "UTC", "غرينيتش": "UTC", "ت.غ": "UTC", "ت غ": "UTC",
    "بالتوقيت العالمي": "UTC", "gmt": "UTC", "utc": "UTC",
    "بتوقيت مكة المكرمة": "Asia/Riyadh", "بتوقيت مكة": "Asia/Riyadh", "بتوقيت السعودية": "Asia/Riyadh",
    "بتوقيت الرياض": "Asia/Riyadh", "بتوقيت القدس": "Asia/Jerusalem", "بتوقيت فلسطين": "Asia/Gaza",
    "بتوقيت غزة": "Asia/Gaza", "بتوقيت رام الله": "Asia/Hebron",
    "بتوقيت القاهرة": "Africa/Cairo", "بتوقيت مصر": "Africa/Cairo", "بتوقيت الدوحة": "Asia/Qatar",
    "بتوقيت قطر": "Asia/Qatar", "بتوقيت أبوظبي": "Asia/Dubai", "بتوقيت أبو ظبي": "Asia/Dubai",
    "بتوقيت الإمارات": "Asia/Dubai", "بتوقيت دبي": "Asia/Dubai",
    "بتوقيت بيروت": "Asia/Beirut", "بتوقيت لبنان": "Asia/Beirut", "بتوقيت دمشق": "Asia/Damascus",
    "بتوقيت سوريا": "Asia/Damascus", "بتوقيت بغداد": "Asia/Baghdad", "بتوقيت العراق": "Asia/Baghdad",
    "بتوقيت عمان": "Asia/Amman", "بتوقيت الأردن": "Asia/Amman", "بتوقيت مسقط": "Asia/Muscat",
    "بتوقيت الكويت": "Asia/Kuwait", "بتوقيت المنامة": "Asia/Bahrain", "بتوقيت البحرين": "Asia/Bahrain",
    "بتوقيت صنعاء": "Asia/Aden", "بتوقيت عدن": "Asia/Aden", "بتوقيت اليمن": "Asia/Aden",
    "بتوقيت الخرطوم": "Africa/Khartoum", "بتوقيت السودان": "Africa/Khartoum",
    "بتوقيت طرابلس": "Africa/Tripoli", "بتوقيت ليبيا": "Africa/Tripoli",
    "بتوقيت المغرب": "Africa/Casablanca", "بتوقيت الرباط": "Africa/Casablanca",
    "بتوقيت الجزائر": "Africa/Algiers", "بتوقيت تونس": "Africa/Tunis", "بتوقيت نواكشوط": "Africa/Nouakchott",
    "بتوقيت إسطنبول": "Europe/Istanbul", "بتوقيت أنقرة": "Europe/Istanbul", "بتوقيت تركيا": "Europe/Istanbul",
    "بتوقيت طهران": "Asia/Tehran", "بتوقيت لندن": "Europe/London", "بتوقيت باريس": "Europe/Paris",
    "بتوقيت واشنطن": "America/New_York", "بتوقيت نيويورك": "America/New_York",
    # English abbreviations and phrases (not those that are also words: "CAT", "WEST", "EAT")
    "bst": "Europe/London", "uk time": "Europe/London", "london time": "Europe/London",
    "et": "America/New_York", "est": "America/New_York", "edt": "America/New_York",
    "eastern time": "America/New_York", "cst": "America/Chicago",
    "cdt": "America/Chicago", "central time": "America/Chicago",
    "mst": "America/Denver", "mdt": "America/Denver", "pt": "America/Los_Angeles",
    "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles", "pacific time": "America/Los_Angeles",
    "akst": "America/Anchorage", "hst": "Pacific/Honolulu",
    "wet": 0, "cet": "Europe/Paris", "cest": "Europe/Paris", "eet": 120, "eest": 180,
    "msk": "Europe/Moscow", "trt": "Europe/Istanbul", "ast": 180, "ksa time": "Asia/Riyadh",
    "gst": "Asia/Dubai", "uae time": "Asia/Dubai", "irst": "Asia/Tehran", "pkt": "Asia/Karachi",
    "ist": "Asia/Kolkata", "sgt": "Asia/Singapore", "hkt": "Asia/Hong_Kong", "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul", "aest": "Australia/Sydney", "aedt": "Australia/Sydney", "sast": "Africa/Johannesburg",
}

# Labels that say which stamp a phrase is.
LABELS = {
    "published": ["تم النشر", "نشر في", "نُشر في", "تاريخ النشر", "نشر بتاريخ", "تاريخ النشر:", "نشر",
                  "تاريخ الإضافة", "أضيف في", "published on", "published", "first published",
                  "originally published", "posted on", "posted", "date published"],
    "updated": ["تم التحديث", "آخر تحديث", "اخر تحديث", "تاريخ التحديث", "آخر تعديل", "تم التعديل",
                "محدثة", "محدث", "تحديث", "updated on", "updated at", "last updated", "last update",
                "updated", "last modified", "modified", "date modified"],
}

PM_MARKERS = ["م", "مساء", "مساءً", "ظهرا", "pm", "p.m.", "ب.ظ"]
AM_MARKERS = ["ص", "صباحا", "صباحاً", "فجرا", "am", "a.m."]

# Relative stamps: "قبل 12 دقيقة", "منذ ساعتين", "2 hours ago". Unit words -> seconds; dual forms
# ("ساعتين", two hours) carry their own count.
RELATIVE_UNITS = {
    "ثانية ثوان ثواني second seconds sec secs": 1,
    "دقيقة دقائق دقيقه minute minutes min mins m": 60,
    "ساعة ساعات hour hours hr hrs h": 3600,
    "يوم أيام ايام يوما day days d": 86400,
    "أسبوع أسابيع اسبوع week weeks": 604800,
}
RELATIVE_DUALS = {"دقيقتين": 120, "دقيقتان": 120, "ساعتين": 7200, "ساعتان": 7200, "يومين": 172800, "يومان": 172800,
                  "أسبوعين": 1209600}
RELATIVE_BEFORE = ["قبل", "منذ"]       # Arabic puts the marker first
RELATIVE_AFTER = ["ago"]               # English puts it last
RELATIVE_ONE = ["an", "a", "one"]      # "an hour ago"
RELATIVE_NOW = ["just now", "moments ago", "a moment ago", "الآن", "قبل قليل", "منذ قليل", "منذ لحظات"]

# Persian (Solar Hijri / Jalali) months, for Persian pages: "2 تیر 1399" is 22 June 2020. Read only with a
# Jalali year (JALALI_YEARS); an Islamic (lunar Hijri) year such as 1442 هـ is not converted.
JALALI_MONTHS = {1: "فروردین", 2: "اردیبهشت", 3: "خرداد", 4: "تیر", 5: "مرداد امرداد", 6: "شهریور", 7: "مهر",
                 8: "آبان", 9: "آذر", 10: "دی", 11: "بهمن", 12: "اسفند"}
JALALI_YEARS = (1300, 1420)
HIJRI_MARKERS = ["هـ", "ه.", "هجري", "هجرية"]

# Numeric dates that a month-first page (US English, or a profile's date_order = "mdy") writes month
# first: slash dates only ("03/04/2021"). Dotted and dashed dates ("11.05.2022", "11-05-2022") are the
# day-first styles of agencies, Europe and the Arab press, and are read day first on every page.
MONTH_FIRST_SEPARATORS = "/"

# Weekday names as datelines print them ("Friday 26 February 2021", "الجمعة، 26 فبراير 2021"): with the
# month names, zone phrases and am/pm markers above, the words a line that is only a stamp may hold.
WEEKDAYS = ("monday tuesday tues wednesday thursday thur thurs friday saturday sunday "
            "الاثنين الإثنين الثلاثاء الأربعاء الاربعاء الخميس الجمعة السبت الأحد الاحد يوم")
