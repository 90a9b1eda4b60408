-- View strikes_by_country_month: one row per country where strikes happened (ISO3, null when unknown) and calendar month of the strike (null when undated).
-- A strike counts once: as its event when its report is grouped into one (the event's country, event_date and
-- killed_best), else as its own report (the report's country, event_date and killed). n_strikes = those strikes;
-- n_reports = strike rows (reports) behind them; killed_sum = sum of their best estimates (null when none gives a
-- number). Denied and possible strikes are counted; filter on strikes.certainty / events.certainty for stricter counts.
CREATE OR REPLACE VIEW strikes_by_country_month AS
WITH reports AS (
    SELECT
        s.fact_id,
        e.event_id,
        CASE WHEN e.event_id IS NULL THEN s.country ELSE e.country END AS country,
        CASE WHEN e.event_id IS NULL THEN s.event_date ELSE e.event_date END AS strike_date,
        CASE WHEN e.event_id IS NULL THEN s.killed ELSE e.killed_best END AS killed_best
    FROM strikes AS s
    LEFT JOIN event_reports AS r ON r.fact_id = s.fact_id AND r.fact_table = 'strikes'
    LEFT JOIN events AS e ON e.event_id = r.event_id AND e.type = 'strike'
),
counted AS (
    SELECT
        coalesce(event_id, fact_id) AS strike_id,
        country,
        CAST(date_trunc('month', strike_date) AS DATE) AS month,
        killed_best,
        count(*) AS n_reports
    FROM reports
    GROUP BY ALL
)
SELECT
    country,
    month,
    count(*) AS n_strikes,
    CAST(sum(n_reports) AS BIGINT) AS n_reports,
    CAST(sum(killed_best) AS BIGINT) AS killed_sum
FROM counted
GROUP BY country, month
ORDER BY month NULLS LAST, country NULLS LAST;
