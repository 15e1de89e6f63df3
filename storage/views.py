"""The views Datasette users read (created by migration 5; recreated whole when they change).

`recent_changes` and `article_timeline` end with the evidence columns (detector/silent.py,
detector/takedown.py, detector/headline_tests.py): `silent` (1: a substantive change while the update
stamp stayed and no correction was added), `restamped` (1: the stamp moved, nothing else did),
`takedown` (the kind of a `removed` change) and `headline_test` (the variants of a probable A/B test)."""

VIEWS = {
    "recent_changes": """
SELECT c.id, c.at, s.name AS site, a.url, v.title, c.kind, c.field,
  CASE WHEN c.old IS NULL AND c.new IS NULL THEN ''
       ELSE substr(coalesce(c.old, '—'), 1, 140) || ' → ' || substr(coalesce(c.new, '—'), 1, 140) END AS change,
  c.severity, c.article_id, c.to_version AS version_id,
  CASE WHEN c.to_version IS NOT NULL THEN '/-/marsad/diff/' || c.to_version END AS diff,
  coalesce(json_extract(c.detail, '$.silent'), 0) AS silent,
  coalesce(json_extract(c.detail, '$.restamped'), 0) AS restamped,
  CASE WHEN c.kind = 'removed' THEN coalesce(json_extract(c.detail, '$.takedown'),
       CASE WHEN c.new = '410' THEN 'gone' ELSE 'not_found' END) END AS takedown,
  json_extract(c.detail, '$.headline_test.variants') AS headline_test
FROM changes c JOIN articles a ON a.id = c.article_id LEFT JOIN sites s ON s.id = a.site_id
LEFT JOIN versions v ON v.id = c.to_version
ORDER BY c.at DESC, c.id DESC""",
    "article_timeline": """
SELECT a.id AS article_id, s.name AS site, a.url, v.n, v.fetched_at, v.title,
  coalesce(v.summary, 'first version') AS summary, v.summary_ar, v.published_at, v.updated_at,
  v.id AS version_id, '/-/marsad/article/' || a.id AS versions_page,
  coalesce((SELECT max(json_extract(c.detail, '$.silent')) FROM changes c WHERE c.to_version = v.id), 0) AS silent,
  coalesce((SELECT max(json_extract(c.detail, '$.restamped')) FROM changes c WHERE c.to_version = v.id), 0) AS restamped
FROM versions v JOIN articles a ON a.id = v.article_id LEFT JOIN sites s ON s.id = a.site_id
ORDER BY a.id, v.n""",
    # The story's own toll per version and measure, by fetch time: the highest figure stated, the
    # headline's first on a tie; background figures (a past attack, a world total) never count
    # (detector.figures.story_figures says the same in Python). `where` and `sentence` say where it stands.
    "figure_history": """
WITH placed AS (
  SELECT v.id AS version_id, a.id AS article_id, a.url, v.n, v.fetched_at,
    json_extract(f.value, '$.measure') AS measure, json_extract(f.value, '$.value') AS value,
    coalesce(json_extract(f.value, '$.where'), '') AS place, json_extract(f.value, '$.sentence') AS sentence,
    json_extract(f.value, '$.where') = 'headline' AS in_headline
  FROM versions v JOIN articles a ON a.id = v.article_id, json_each(v.figures) f
  WHERE coalesce(json_extract(f.value, '$.background'), 0) = 0),
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY version_id, measure ORDER BY value DESC, in_headline DESC) AS k
  FROM placed)
SELECT article_id, url, measure, n, fetched_at, value, place AS [where], sentence
FROM ranked WHERE k = 1
ORDER BY article_id, measure, fetched_at, n""",
    "site_stats": """
WITH events AS (
  SELECT site_id, substr(first_seen_at, 1, 10) AS day, 'article' AS what FROM articles
  UNION ALL SELECT a.site_id, substr(v.fetched_at, 1, 10), 'version' FROM versions v JOIN articles a ON a.id = v.article_id
  UNION ALL SELECT a.site_id, substr(c.at, 1, 10), 'change' FROM changes c JOIN articles a ON a.id = c.article_id)
SELECT coalesce(s.name, '(no site)') AS site, day, sum(what = 'article') AS articles, sum(what = 'version') AS versions,
  sum(what = 'change') AS changes
FROM events LEFT JOIN sites s ON s.id = events.site_id
GROUP BY site, day ORDER BY day DESC, site""",
}


def create_views(db) -> None:
    for name, sql in VIEWS.items():
        db.execute(f"DROP VIEW IF EXISTS [{name}]")
        db.execute(f"CREATE VIEW [{name}] AS {sql.strip()}")
