-- Check: one row per id that is not unique where researchers count on it: a fact_id held by two
-- rows of the fact tables together (each table's primary key cannot see the others), an
-- event_id held by two events, or a fact linked to two events. Expected result: no rows.
WITH fact_ids AS (
    SELECT fact_id AS id FROM strikes
    UNION ALL SELECT fact_id FROM visits
    UNION ALL SELECT fact_id FROM arms_sales
    UNION ALL SELECT fact_id FROM killings
    UNION ALL SELECT fact_id FROM quotes
    UNION ALL SELECT fact_id FROM mentions
)
SELECT 'fact_id' AS kind, id, count(*) AS n FROM fact_ids GROUP BY id HAVING count(*) > 1
UNION ALL
SELECT 'event_id', event_id, count(*) FROM events GROUP BY event_id HAVING count(*) > 1
UNION ALL
SELECT 'event_reports.fact_id', fact_id, count(DISTINCT event_id) FROM event_reports GROUP BY fact_id HAVING count(DISTINCT event_id) > 1
ORDER BY kind, id;
