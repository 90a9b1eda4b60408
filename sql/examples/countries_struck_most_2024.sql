-- Which countries were struck most in 2024, counting events not reports?
-- A strike told by five articles counts once (its event); reports never grouped into an event count once each.
-- Strikes without a resolved date are left out; killed is the sum of the best estimates (median claim per event).
SELECT
    country,
    sum(n_strikes) AS strikes,
    sum(n_reports) AS reports,
    sum(killed_sum) AS killed
FROM strikes_by_country_month
WHERE month >= DATE '2024-01-01' AND month < DATE '2025-01-01'
GROUP BY country
ORDER BY strikes DESC, killed DESC NULLS LAST, country NULLS LAST;
