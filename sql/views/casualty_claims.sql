-- View casualty_claims: one row per strike or killing report that gives a number killed (killed not null).
-- event_id = the event the report is grouped into (null when none); claimant = who makes the claim:
-- coalesce(attributed_to, articles.source); killed / killed_max as the report gives them (killings have no
-- killed_max; a named victim counts 1); certainty = the report's hedge; reported_at = articles.published_at.
CREATE OR REPLACE VIEW casualty_claims AS
WITH claims AS (
    SELECT 'strikes' AS fact_table, fact_id, article_id, attributed_to, killed, killed_max, certainty, evidence
    FROM strikes
    WHERE killed IS NOT NULL
    UNION ALL
    SELECT 'killings', fact_id, article_id, attributed_to, killed, CAST(NULL AS INTEGER), certainty, evidence
    FROM killings
    WHERE killed IS NOT NULL
)
SELECT
    e.event_id,
    c.fact_table,
    coalesce(c.attributed_to, a.source) AS claimant,
    c.killed,
    c.killed_max,
    c.certainty,
    a.published_at AS reported_at,
    c.fact_id,
    c.article_id,
    c.evidence
FROM claims AS c
LEFT JOIN articles AS a ON a.article_id = c.article_id
LEFT JOIN event_reports AS r ON r.fact_id = c.fact_id AND r.fact_table = c.fact_table
LEFT JOIN events AS e ON e.event_id = r.event_id
ORDER BY e.event_id NULLS LAST, a.published_at NULLS LAST, c.fact_id;
