-- View visits_network: one row per directed pair (visitor_country -> destination_country), ISO3 codes, null when unknown.
-- A visit counts once: as its event when its report is grouped into one (the event's countries, date, visitor and
-- status), else as its own report. n_visits counts visits of every status (a planned visit and its occurrence are
-- one event); n_occurred only those whose status is occurred or ongoing. latest_visit_date is the latest event_date;
-- visitors lists the distinct visitor names, sorted. Pairs with the same country on both ends are domestic trips.
CREATE OR REPLACE VIEW visits_network AS
WITH reports AS (
    SELECT
        v.fact_id,
        e.event_id,
        CASE WHEN e.event_id IS NULL THEN v.visitor_country ELSE e.visitor_country END AS visitor_country,
        CASE WHEN e.event_id IS NULL THEN v.destination_country ELSE e.destination_country END AS destination_country,
        CASE WHEN e.event_id IS NULL THEN v.event_date ELSE e.event_date END AS visit_date,
        CASE WHEN e.event_id IS NULL THEN v.visitor ELSE e.visitor END AS visitor,
        CASE WHEN e.event_id IS NULL THEN v.status ELSE e.status END AS status
    FROM visits AS v
    LEFT JOIN event_reports AS r ON r.fact_id = v.fact_id AND r.fact_table = 'visits'
    LEFT JOIN events AS e ON e.event_id = r.event_id AND e.type = 'visit'
),
counted AS (
    SELECT DISTINCT
        coalesce(event_id, fact_id) AS visit_id,
        visitor_country, destination_country, visit_date, visitor, status
    FROM reports
)
SELECT
    visitor_country,
    destination_country,
    count(*) AS n_visits,
    count(*) FILTER (WHERE status IN ('occurred', 'ongoing')) AS n_occurred,
    max(visit_date) AS latest_visit_date,
    coalesce(list(DISTINCT visitor ORDER BY visitor) FILTER (WHERE visitor IS NOT NULL), []::VARCHAR[]) AS visitors
FROM counted
GROUP BY visitor_country, destination_country
ORDER BY n_visits DESC, visitor_country NULLS LAST, destination_country NULLS LAST;
