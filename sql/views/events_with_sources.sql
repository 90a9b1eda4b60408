-- View events_with_sources: one row per event (every row of events, including one whose reports are missing).
-- sources = distinct (source, url) of the articles of its reports, sorted; republished_by = distinct (source, url)
-- of later copies of those articles (the duplicates table), sorted; evidence = the distinct evidence sentences of
-- its reports, earliest published first. Lists are empty, never null.
CREATE OR REPLACE VIEW events_with_sources AS
WITH facts AS (
    SELECT 'strikes' AS fact_table, fact_id, evidence FROM strikes
    UNION ALL SELECT 'visits', fact_id, evidence FROM visits
    UNION ALL SELECT 'arms_sales', fact_id, evidence FROM arms_sales
    UNION ALL SELECT 'killings', fact_id, evidence FROM killings
),
reports AS (
    SELECT r.event_id, r.article_id, f.evidence, a.source, a.url, a.published_at
    FROM event_reports AS r
    LEFT JOIN facts AS f ON f.fact_id = r.fact_id AND f.fact_table = r.fact_table
    LEFT JOIN articles AS a ON a.article_id = r.article_id
),
sources AS (
    SELECT event_id, list(DISTINCT {'source': source, 'url': url} ORDER BY {'source': source, 'url': url}) AS sources
    FROM reports
    GROUP BY event_id
),
republished AS (
    SELECT r.event_id, list(DISTINCT {'source': d.source, 'url': d.url} ORDER BY {'source': d.source, 'url': d.url}) AS republished_by
    FROM (SELECT DISTINCT event_id, article_id FROM reports) AS r
    JOIN duplicates AS d ON d.article_id = r.article_id
    GROUP BY r.event_id
),
sentences AS (
    SELECT event_id, evidence, min(published_at) AS first_published
    FROM reports
    WHERE evidence IS NOT NULL
    GROUP BY event_id, evidence
),
evidence AS (
    SELECT event_id, list(evidence ORDER BY first_published NULLS LAST, evidence) AS evidence
    FROM sentences
    GROUP BY event_id
)
SELECT
    e.event_id,
    e.type,
    e.event_date,
    e.date_precision,
    e.first_reported_at,
    e.last_reported_at,
    e.n_reports,
    e.n_sources,
    e.certainty,
    coalesce(s.sources, []::STRUCT(source VARCHAR, url VARCHAR)[]) AS sources,
    coalesce(p.republished_by, []::STRUCT(source VARCHAR, url VARCHAR)[]) AS republished_by,
    coalesce(v.evidence, []::VARCHAR[]) AS evidence
FROM events AS e
LEFT JOIN sources AS s ON s.event_id = e.event_id
LEFT JOIN republished AS p ON p.event_id = e.event_id
LEFT JOIN evidence AS v ON v.event_id = e.event_id
ORDER BY e.first_reported_at NULLS LAST, e.event_id;
