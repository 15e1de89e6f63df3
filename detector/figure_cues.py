"""The word tables behind figure finding: which words make a number a toll, and which make it not.

Heuristics as data: to teach marsad a new way of writing a toll, add a word here. Arabic entries are
written as a reader writes them; figures.py normalizes them (tashkeel, letter variants) on load.
"""

MEASURES = ("killed", "injured", "missing", "arrested", "displaced", "cases")

# Nouns/participles that name the measure right after the number: "22 قتيلاً", "40 wounded".
NOUNS_AFTER = {
    "killed": "قتيل قتيلا قتيلاً قتلى قتيلين قتيلان شهيد شهيدا شهيداً شهداء ضحية ضحايا "
              "killed dead deaths fatalities bodies",
    "injured": "جريح جريحا جريحاً جرحى جريحين مصاب مصابا مصاباً مصابين مصابون إصابة إصابات "
               "injured wounded injuries hurt",
    "missing": "مفقود مفقودا مفقوداً مفقودين مفقودون missing",
    "arrested": "معتقل معتقلا معتقلاً معتقلين معتقلون موقوفين موقوفا arrested detained arrests detainees",
    "displaced": "نازح نازحا نازحاً نازحين نازحون مهجر مهجرين displaced refugees",
    # a count of a disease: kept only where the text names a disease (see DISEASE)
    "cases": "حالة حالات cases infections",
}

# Verbs that state the measure a few words after the number: "22 شخصاً ... قُتلوا", "22 people were killed".
VERBS_AFTER = {
    "killed": "قتلوا قتلن لقوا حتفهم حتفه مصرعهم مصرعه استشهدوا توفوا ماتوا killed died dead perished",
    "injured": "أصيبوا أصبن جرحوا injured wounded hurt",
    "missing": "فقدوا missing",
    "arrested": "اعتقلوا أوقفوا arrested detained",
    "displaced": "نزحوا هجروا displaced",
    "cases": "infected positive",
}

# Phrases after which the number is the measure: "مقتل 22", "حصيلة القتلى إلى 22", "death toll rose to 22".
PHRASES_BEFORE = {
    "killed": ["مقتل", "قتل", "قتلت", "استشهد", "حصيلة القتلى", "عدد القتلى", "حصيلة الضحايا", "عدد الضحايا",
               "عدد الشهداء", "حصيلة الشهداء", "استشهاد", "وفاة", "توفي", "توفيت", "عدد الوفيات", "حصيلة الوفيات",
               "أودى بحياة", "أودت بحياة", "بحياة", "راح ضحيته", "راح ضحيتها",
               "death toll", "toll", "killing", "killed", "kills", "deaths of", "number of dead", "number of deaths",
               "death count", "fatalities", "body count"],
    "injured": ["إصابة", "جرح", "عدد الجرحى", "حصيلة الجرحى", "عدد المصابين", "حصيلة المصابين",
                "أصيب", "أصيبت", "جرح", "injuring", "wounding", "injured", "wounded"],
    "missing": ["فقدان", "عدد المفقودين", "missing"],
    "arrested": ["اعتقال", "اعتقلت", "اعتقل", "توقيف", "عدد المعتقلين", "arrest of", "arresting",
                 "arrested", "detained", "detaining", "detains", "arrests"],
    "displaced": ["نزوح", "تهجير", "عدد النازحين", "displacing", "displaced", "displaces"],
    "cases": ["عدد الإصابات", "حصيلة الإصابات", "إجمالي الإصابات", "number of cases", "case count", "caseload",
              "infections", "infecting", "infected", "cases"],
}

# Toll phrases may stand a few free words before their number ("the death toll from the earthquake rose
# to 18", "حصيلة القتلى في الغارات ارتفعت إلى 22"); verbs such as "killed" may not.
TOLL_GAP = 4
TOLL_PHRASES = {
    "killed": ["death toll", "حصيلة القتلى", "عدد القتلى", "حصيلة الضحايا", "عدد الضحايا", "عدد الشهداء",
               "حصيلة الشهداء", "عدد الوفيات", "حصيلة الوفيات", "number of dead", "number of deaths", "death count",
               "fatalities"],
    "injured": ["عدد الجرحى", "حصيلة الجرحى", "عدد المصابين", "حصيلة المصابين", "number of injured"],
    "missing": ["عدد المفقودين"],
    "arrested": ["عدد المعتقلين"],
    "displaced": ["عدد النازحين"],
    "cases": ["عدد الإصابات", "حصيلة الإصابات", "إجمالي الإصابات", "number of cases", "case count"],
}

# Words that may stand between a phrase-before and its number: "ارتفعت إلى", "rose to at least".
CONNECTORS = """
إلى ل لـ ب نحو حوالي قرابة أكثر من ما لا يقل عن على الأقل ارتفعت ارتفع ترتفع يرتفع وصلت وصل بلغت بلغ بين
تجاوزت تجاوز قد أيضا جديد جديدة الإجمالية الجديدة
to at least rose rises risen climbed climbs climb reached reaches stands stood is was now more than over between
about around nearly some has had of another further almost approximately roughly up
""".split()

# People words that may stand between the number and a measure noun/verb: "22 شخصاً قُتلوا".
PEOPLE = """
شخص شخصا شخصاً أشخاص مدني مدنيا مدنياً مدنيين مدنيون جندي جنديا جنود عنصر عنصرا عناصر مسلح مسلحا
مسلحين طفل طفلا أطفال امرأة نساء رجل رجال فلسطيني فلسطينيا فلسطينيين عسكري عسكريا عسكريين
مواطن مواطنا مواطنين مهاجر مهاجرا مهاجرين آخر آخرين آخرون عامل عاملا عمال طالب طالبا طلاب صحفي صحفيا
صحفيين مسعف مسعفا مسعفين راكب راكبا ركاب بحار بحارة صياد صيادين سجين سجناء مريض مريضا مرضى فرد أفراد شرطي
شرطيا شرطيين متظاهر متظاهرا متظاهرين ناشط ناشطا ناشطين جنديين طفلين مشتبه مشتبها
people persons civilians soldiers troops children women men militants fighters others more
palestinians israelis migrants protesters police officers workers residents students journalists
passengers miners patients prisoners villagers refugees suspects
new confirmed additional جديدة جديد مؤكدة إضافية
""".split()

# Words that may link a number to its people word: "dozens of people", "عشرات من المدنيين".
LINKS = "of من".split()

# People words too general to name the subject; the subject is then read after "من"/"of".
GENERIC_PEOPLE = ("شخص شخصا شخصاً أشخاص آخر آخرين آخرون people persons others more "
                  "new confirmed additional جديدة جديد مؤكدة إضافية").split()

# A number followed by one of these is a date, a time, an age, a share, or an amount: never a toll.
BLOCK_AFTER = """
يناير فبراير مارس أبريل إبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر
كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين جانفي فيفري أفريل ماي جوان جويلية أوت
ساعة ساعات دقيقة دقائق ثانية ثوان يوم يوما أيام أسبوع أسابيع شهر أشهر شهور عام عاما أعوام سنة سنوات
بالمئة بالمائة المئة بالمية % دولار دولارا ريال جنيه درهم دينار يورو ليرة كيلومتر كلم متر كيلو طن
ص م صباحا مساء مساءً
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
hour hours minute minutes second seconds day days week weeks month months year years yr
percent per pm am gmt utc dollars euros pounds km miles tonnes tons kg
""".split()

# A number right after one of these is a time, a year or a reference number.
BLOCK_BEFORE = """
الساعة ساعة عام العام سنة رقم الرقم المادة القرار صفحة الطبعة
year in since page no number article resolution aged age
""".split()

# Qualifiers read in the few words around a number.
QUALIFIERS = {
    "at_least": ["على الأقل", "ما لا يقل عن", "at least", "no fewer than", "no less than"],
    "more_than": ["أكثر من", "ما يزيد عن", "ما يزيد على", "أزيد من", "more than", "over", "upwards of"],
    "about": ["نحو", "حوالي", "قرابة", "زهاء", "about", "around", "nearly", "almost", "approximately",
              "roughly", "some"],
}

# Arabic dual measure nouns carry their own number: "سقوط قتيلين" is two killed.
DUAL_NOUNS = {"قتيلين": "killed", "قتيلان": "killed", "شهيدين": "killed", "شهيدان": "killed",
              "جريحين": "injured", "جريحان": "injured", "مصابين اثنين": "injured", "مفقودين اثنين": "missing"}

# Words that multiply the number before them: "200 ألف نازح" is 200,000; "1.5 million" is read as 1 million.
MULTIPLIERS = {"ألف": 1000, "آلاف": 1000, "الف": 1000, "مليون": 1_000_000, "ملايين": 1_000_000,
               "thousand": 1000, "million": 1_000_000}

# Number words: value, and whether the word only gives an order of magnitude ("dozens").
NUMBER_WORDS = {
    "واحد": (1, False), "واحدة": (1, False), "اثنان": (2, False), "اثنين": (2, False),
    "اثنتان": (2, False), "اثنتين": (2, False), "ثلاث": (3, False), "ثلاثة": (3, False),
    "أربع": (4, False), "أربعة": (4, False), "خمس": (5, False), "خمسة": (5, False),
    "ست": (6, False), "ستة": (6, False), "سبع": (7, False), "سبعة": (7, False),
    "ثماني": (8, False), "ثمانية": (8, False), "ثمان": (8, False), "تسع": (9, False),
    "تسعة": (9, False), "عشر": (10, False), "عشرة": (10, False), "عشرين": (20, False),
    "عشرون": (20, False), "ثلاثين": (30, False), "ثلاثون": (30, False), "مئة": (100, False),
    "مائة": (100, False), "ألف": (1000, False),
    "عشرات": (10, True), "مئات": (100, True), "آلاف": (1000, True),
    "one": (1, False), "two": (2, False), "three": (3, False), "four": (4, False), "five": (5, False),
    "six": (6, False), "seven": (7, False), "eight": (8, False), "nine": (9, False), "ten": (10, False),
    "eleven": (11, False), "twelve": (12, False), "fifteen": (15, False), "twenty": (20, False),
    "thirty": (30, False), "forty": (40, False), "fifty": (50, False), "hundred": (100, False),
    "dozen": (12, False), "dozens": (12, True), "scores": (20, True), "hundreds": (100, True),
    "thousands": (1000, True),
}

# More number words, read as one value: tens that take a unit ("twenty-two", "twenty two"), and words that
# multiply the number word or digits before them ("two dozen", "three hundred").
NUMBER_WORDS.update({
    "thirteen": (13, False), "fourteen": (14, False), "sixteen": (16, False), "seventeen": (17, False),
    "eighteen": (18, False), "nineteen": (19, False), "sixty": (60, False), "seventy": (70, False),
    "eighty": (80, False), "ninety": (90, False),
    "أربعين": (40, False), "أربعون": (40, False), "خمسين": (50, False), "خمسون": (50, False),
    "ستين": (60, False), "ستون": (60, False), "سبعين": (70, False), "سبعون": (70, False),
    "ثمانين": (80, False), "ثمانون": (80, False), "تسعين": (90, False), "تسعون": (90, False),
    "مئتين": (200, False), "مائتين": (200, False), "مئتا": (200, False), "مائتا": (200, False),
    "ثلاثمئة": (300, False), "ثلاثمائة": (300, False), "أربعمئة": (400, False), "أربعمائة": (400, False),
    "خمسمئة": (500, False), "خمسمائة": (500, False),
})
TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
UNITS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
WORD_MULTIPLIERS = {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 1_000_000,
                    "مئة": 100, "مائة": 100, "ألف": 1000, "آلاف": 1000, "مليون": 1_000_000}

# Between two numbers, these make a range ("20 to 25", "between 20 and 25", "بين 20 و25"): the lower bound
# is not a figure of its own, and the upper one is marked approximate.
RANGE_LINKS = "to and or - و او أو إلى الى".split()

# A measure noun after these before-words only: "claimed 22 lives", "cost 300 lives" (a life saved is no toll).
FRAMES = {"killed": (["claimed", "claiming", "claim", "claims", "took", "taking", "cost", "costing"], ["lives"])}

# A count of a disease ("190 ألف إصابة بكورونا", "2,300 new cases") is `cases`, never `injured`: Arabic
# إصابة is both an injury and an infection. These words name a disease or an infection.
DISEASE = """
كورونا كوفيد فيروس الفيروس فيروسات وباء الوباء جائحة الجائحة الكوليرا كوليرا الحصبة حصبة الإنفلونزا
انفلونزا إنفلونزا الملاريا ملاريا إيبولا ايبولا جدري الحمى حمى عدوى العدوى متحور المتحور لقاح اللقاح
covid coronavirus virus pandemic epidemic outbreak cholera measles influenza flu malaria ebola mpox monkeypox
dengue infection infections infected variant vaccine vaccinated
""".split()
# Injury words no disease story uses: with one of these the sentence's count stays `injured`.
INJURY_ONLY = """
جريح جريحا جريحاً جرحى جريحين جروح بجروح الجرحى wounded injured injuries hurt wounding injuring
""".split()

# A sentence about the past or the whole world states a background figure ("a 2019 attack killed 300",
# "as many as 200 in past years", "worldwide"): shown and compared where it stands, but never the story's
# own toll. Phrases here; a bare year (not part of a full date) also marks the past.
BACKGROUND = [
    "past years", "previous years", "recent years", "last year", "years ago",
    "in the past", "worldwide", "globally", "around the world", "across the world", "world over",
    "across the globe", "since records began", "previous attack", "earlier attack",
    "السنوات الماضية", "الأعوام الماضية", "السنوات الأخيرة", "العام الماضي", "السنة الماضية", "العام المنصرم",
    "قبل سنوات", "قبل عام", "قبل أعوام", "حول العالم", "في العالم", "عالميا", "أنحاء العالم",
    "مستوى العالم",
]
# Month words that make a year part of a full date ("March 5, 2024", "5 مارس 2024"): not the past.
MONTHS = """
يناير فبراير مارس أبريل إبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر
كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين جانفي فيفري أفريل ماي جوان جويلية أوت
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
""".split()
