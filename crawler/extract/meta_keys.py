"""Where pages keep their machine-readable stamps, title and author, most trusted first (data, not code).

Keys are matched case-insensitively against <meta name|property|itemprop|http-equiv>.
"""

PUBLISHED_META = [
    "article:published_time", "og:article:published_time", "datepublished", "article.published",
    "publish-date", "publish_date", "publishdate", "pubdate", "parsely-pub-date", "sailthru.date",
    "dc.date.issued", "dcterms.created", "dc.date.created", "dc.date", "dcterms.date", "date",
    "cxenseparse:recs:publishtime", "article:published", "originalpublicationdate", "ga-publish-datetime",
]
UPDATED_META = [
    "article:modified_time", "og:updated_time", "og:article:modified_time", "datemodified", "article.updated",
    "last-modified", "lastmod", "dc.date.modified", "dcterms.modified", "article:modified",
    "parsely-updated-date", "sailthru.lastmodified",
]
TITLE_META = ["og:title", "twitter:title", "parsely-title", "sailthru.title", "dc.title", "headline"]
AUTHOR_META = ["author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl"]

# JSON-LD @type values that describe the article itself.
ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                 "liveblogposting", "opinionnewsarticle", "backgroundnewsarticle", "report", "webpage"}

# Page regions whose stamps are never the article's: header clocks, prayer times, most-read lists, comments.
NOT_ARTICLE_XPATH = ("ancestor-or-self::*[self::header[not(ancestor::article)] or self::footer or self::nav "
                     "or self::aside or contains(@class,'comment') or contains(@class,'most-read') "
                     "or contains(@class,'prayer') or contains(@class,'clock') or contains(@class,'related') "
                     "or contains(@class,'sidebar') or contains(@id,'sidebar') or contains(@class,'widget')]")
