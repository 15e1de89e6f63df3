"""What is never article text, as data: the headings that open a list of other stories, the leads of
an inline teaser, counters, newsletter boxes. Written as pages print them; body.py compares them in
the `loose` form (case, hamza and tashkeel folded), so "اقرأ أيضاً" and "إقرأ ايضا" are one entry.
"""

# A line that is only one of these opens a block of teasers (titles of other stories, tags).
HEADINGS = [
    "related", "related stories", "related articles", "related content", "related news", "related topics",
    "read also", "also read", "read more", "more", "more on this", "more on this story", "more stories",
    "more from", "see also", "you may also like", "you might also like", "recommended", "recommended for you",
    "most read", "most popular", "most viewed", "trending", "trending now", "top stories", "latest news",
    "tags", "topics", "keywords", "share this article", "share", "load more", "advertisement",
    "اقرأ أيضا", "اقرأ ايضا", "إقرأ أيضا", "اقرأ كذلك", "اقرأ المزيد", "المزيد", "تحميل المزيد", "ذات صلة",
    "مواضيع ذات صلة", "أخبار ذات صلة", "اخبار ذات صلة", "مقالات ذات صلة", "موضوعات ذات صلة", "الأكثر قراءة",
    "الأكثر مشاهدة", "الأكثر تداولا", "الأكثر تداولاً", "الأكثر شعبية", "شاهد أيضا", "شاهد أيضاً",
    "طالع أيضا", "طالع أيضاً", "قد يهمك", "قد يهمك أيضا", "قد يعجبك أيضا", "اخترنا لك", "الوسوم",
    "كلمات مفتاحية", "كلمات دلالية", "العلامات", "وسوم", "شارك", "شارك الخبر", "إعلان", "آخر الأخبار",
]

# A line opening with one of these (and a colon or dash) is an inline teaser or a tag list.
INLINE_LEADS = [
    "read also", "also read", "read more", "related", "see also", "more", "watch", "listen", "tags",
    "topics", "keywords", "more on", "اقرأ أيضا", "اقرأ ايضا", "إقرأ أيضا", "اقرأ المزيد", "اقرأ كذلك",
    "شاهد أيضا", "شاهد", "طالع أيضا", "طالع", "اقرأ", "الوسوم", "كلمات مفتاحية", "كلمات دلالية", "العلامات",
    "ذات صلة", "مواضيع ذات صلة",
]

# Counters: "1,234 views", "Views: 1,234", "عدد القراءات: 523", "12 تعليق". Regular expressions on the
# loose form (Eastern digits are already ASCII there); the whole line must match.
COUNTERS = [
    r"\d[\d,. ]*\s*(?:k\s*)?(?:views?|reads?|comments?|shares?|likes?)",
    r"(?:views?|reads?|comments?|shares?)\s*:?\s*\(?\d[\d,. ]*\)?",
    r"(?:عدد\s+)?(?:القراءات|المشاهدات|القراء|التعليقات|المشاركات|قراءات|مشاهدات|تعليقات)\s*:?\s*\d[\d,. ]*",
    r"\d[\d,. ]*\s*(?:ألف\s+)?(?:قراءة|قراءه|مشاهدة|مشاهده|تعليق|تعليقات|مشاركة|مشاركه)",
    r"(?:no|\d+)\s+comments?(?:\s+yet)?", r"لا\s+توجد\s+تعليقات",
]

# Newsletter and follow boxes (a short line that asks the reader to sign up or follow).
NEWSLETTER = [
    r"(?:sign up|subscribe|register)\b.{0,80}\b(?:newsletter|briefing|bulletin|alerts?|email)",
    r"(?:get|receive)\b.{0,60}\b(?:newsletter|in your inbox)", r"follow us on\b.{0,60}",
    r"اشترك\s+(?:في|ب)\s*(?:ال)?(?:نشرة|النشرة|نشرتنا|قناتنا).{0,80}",
    r"(?:تابعونا|تابعوا|تابعنا)\s+(?:على|عبر).{0,80}", r"للاشتراك\s+في\s+(?:ال)?نشرة.{0,80}",
]

TEASER_CHARS = 150        # after a heading, lines this short without a sentence end are teaser titles
ANCHOR_CHARS = 20         # a whole line that is the text of one link this long is a link teaser
COUNTER_LINE_CHARS = 80   # a line of counters (one, or a views and a comments counter side by side) up to this long
STAMP_LINE_CHARS = 160    # a labelled stamp line ("Updated 1:58 PM GMT, ...") up to this long
