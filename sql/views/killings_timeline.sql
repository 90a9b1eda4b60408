-- View killings_timeline: one row per killing: an event of type killing, or a killings report grouped into no event.
-- event_id is set for events (fact_id null); fact_id is set for lone reports (event_id null). Events give their
-- canonical fields, killed_best as killed, and their n_reports and n_sources; a lone report gives its own fields,
-- n_reports = 1 and n_sources = 1. Ordered by date (undated last).
CREATE OR REPLACE VIEW killings_timeline AS
SELECT
    e.event_id,
    CAST(NULL AS VARCHAR) AS fact_id,
    e.event_date,
    e.date_precision,
    e.victim,
    e.perpetrator,
    e.perpetrator_country,
    e.location,
    e.country,
    e.latitude,
    e.longitude,
    e.killed_best AS killed,
    e.certainty,
    e.n_reports,
    e.n_sources,
    e.first_reported_at
FROM events AS e
WHERE e.type = 'killing'
UNION ALL
SELECT
    CAST(NULL AS VARCHAR) AS event_id,
    k.fact_id,
    k.event_date,
    k.date_precision,
    k.victim,
    k.perpetrator,
    k.perpetrator_country,
    k.location,
    k.country,
    k.latitude,
    k.longitude,
    k.killed,
    k.certainty,
    1 AS n_reports,
    1 AS n_sources,
    a.published_at AS first_reported_at
FROM killings AS k
LEFT JOIN articles AS a ON a.article_id = k.article_id
WHERE NOT EXISTS (
    SELECT 1
    FROM event_reports AS r
    JOIN events AS e ON e.event_id = r.event_id AND e.type = 'killing'
    WHERE r.fact_id = k.fact_id AND r.fact_table = 'killings'
)
ORDER BY event_date NULLS LAST, first_reported_at NULLS LAST, coalesce(event_id, fact_id);
