-- Check: one row per country code in the batch's facts that is not an ISO 3166-1 alpha-3 code.
-- Parameters: $batch_id, $valid_codes (list of the valid codes). Expected result: no rows.
WITH codes AS (
    SELECT 'strikes.attacker_country' AS field, attacker_country AS code FROM strikes WHERE batch_id = $batch_id
    UNION ALL SELECT 'strikes.country', country FROM strikes WHERE batch_id = $batch_id
    UNION ALL SELECT 'visits.visitor_country', visitor_country FROM visits WHERE batch_id = $batch_id
    UNION ALL SELECT 'visits.destination_country', destination_country FROM visits WHERE batch_id = $batch_id
    UNION ALL SELECT 'arms_sales.seller_country', seller_country FROM arms_sales WHERE batch_id = $batch_id
    UNION ALL SELECT 'arms_sales.buyer_country', buyer_country FROM arms_sales WHERE batch_id = $batch_id
    UNION ALL SELECT 'killings.perpetrator_country', perpetrator_country FROM killings WHERE batch_id = $batch_id
    UNION ALL SELECT 'killings.country', country FROM killings WHERE batch_id = $batch_id
    UNION ALL SELECT 'mentions.iso3', iso3 FROM mentions WHERE batch_id = $batch_id
)
SELECT field, code, count(*) AS n
FROM codes
WHERE code IS NOT NULL AND NOT list_contains($valid_codes, code)
GROUP BY field, code
ORDER BY n DESC;
