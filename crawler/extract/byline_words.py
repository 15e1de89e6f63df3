"""Tables for finding who wrote an article, as data: the words templates use in a byline block's class
or id, the lead phrases printed before a name, what joins two names. bylines.py compiles them.

Class and id words are matched anywhere in the attribute, case folded, a space in an entry standing for
an optional "-", "_" or nothing ("write by" matches writeBy, write-by, write_by): English templates
("byline", "author vcard", "writer"), Turkish-built CMSs of the region ("muhabir" reporter, "yazar"
writer), Arabic CMSs' transliterations ("kateb", "katib" writer, "mohrer" editor, "morasel" correspondent).
"""

BLOCK_WORDS = [
    "byline", "by line", "author", "writer", "write by", "written by", "posted by", "reporter",
    "correspondent", "journalist", "contributor", "muhabir", "yazar", "kateb", "katib", "kuttab", "mohrer",
    "muharrir", "morasel", "moraslin",
]

# Phrases printed before the name(s) ("Written By:", "بقلم:", "كتب -"), matched case folded at the start
# of a block's text and followed by a colon, a dash or a space.
LEADS = [
    "written by", "reported by", "reporting by", "words by", "story by", "text by", "article by", "posted by",
    "by", "author", "authors", "reporter", "correspondent",
    "من", "بقلم", "كتب", "كتبت", "كتبه", "كتبها", "إعداد", "اعداد", "تقرير", "تحرير", "المحرر", "الكاتب",
    "الكاتبة", "المراسل", "مراسل", "مراسلة", "الصحفي", "الصحفية",
]
# Of those, the ones that say "a writer's name follows" even on an element with no byline class, when
# a colon or a dash follows them ("Written By: Sam Patel", "بقلم: محمد علي"): a bare "By" or "من" opens
# too many sentences to count alone.
LABEL_LEADS = ["written by", "reported by", "reporting by", "words by", "story by", "text by", "article by",
               "posted by", "author", "authors", "بقلم", "كتب", "كتبت", "إعداد", "اعداد", "تحرير", "المحرر",
               "الكاتب", "الكاتبة", "المراسل"]

# What a template prints between two name elements (a link or a span per author): nothing (the
# comma is drawn by CSS), a comma, "and", "&", "و".
NAME_JOINS = [",", "،", "&", "and", "و", "·", "•", "|", "/"]
# Inside a byline block, the elements that hold one name each: links, and elements classed as a name.
NAME_CLASS_WORDS = ["name", "author", "writer", "reporter", "fn"]
