-- Check: one row per event_report of the batch that points at a missing event or a missing fact.
-- Parameters: $batch_id. Expected result: no rows.
SELECT r.event_id, r.fact_id, r.fact_table
FROM event_reports AS r
LEFT JOIN events AS e USING (event_id)
WHERE r.batch_id = $batch_id
  AND (e.event_id IS NULL
       OR (r.fact_table = 'strikes' AND r.fact_id NOT IN (SELECT fact_id FROM strikes))
       OR (r.fact_table = 'visits' AND r.fact_id NOT IN (SELECT fact_id FROM visits))
       OR (r.fact_table = 'arms_sales' AND r.fact_id NOT IN (SELECT fact_id FROM arms_sales))
       OR (r.fact_table = 'killings' AND r.fact_id NOT IN (SELECT fact_id FROM killings)))
ORDER BY r.event_id, r.fact_id;
