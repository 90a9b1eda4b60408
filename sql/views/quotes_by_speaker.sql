-- View quotes_by_speaker: one row per speaker and speaker_org as extracted (null speaker = quotes with no identified speaker).
-- n_quotes = distinct quotations; n_articles = articles quoting them; first_published / last_published = the
-- earliest and latest publication time (UTC) of those articles (null when no article has a date).
CREATE OR REPLACE VIEW quotes_by_speaker AS
SELECT
    q.speaker,
    q.speaker_org,
    count(*) AS n_quotes,
    count(DISTINCT q.article_id) AS n_articles,
    min(a.published_at) AS first_published,
    max(a.published_at) AS last_published
FROM quotes AS q
LEFT JOIN articles AS a ON a.article_id = q.article_id
GROUP BY q.speaker, q.speaker_org
ORDER BY n_quotes DESC, q.speaker NULLS LAST, q.speaker_org NULLS LAST;
