-- Check: one row per fact of the batch whose evidence is not exactly its slice of articles.text.
-- Parameters: $batch_id. Expected result: no rows.
WITH facts AS (
    SELECT 'strikes' AS fact_table, fact_id, article_id, evidence, evidence_start, evidence_end FROM strikes WHERE batch_id = $batch_id
    UNION ALL SELECT 'visits', fact_id, article_id, evidence, evidence_start, evidence_end FROM visits WHERE batch_id = $batch_id
    UNION ALL SELECT 'arms_sales', fact_id, article_id, evidence, evidence_start, evidence_end FROM arms_sales WHERE batch_id = $batch_id
    UNION ALL SELECT 'killings', fact_id, article_id, evidence, evidence_start, evidence_end FROM killings WHERE batch_id = $batch_id
    UNION ALL SELECT 'quotes', fact_id, article_id, evidence, evidence_start, evidence_end FROM quotes WHERE batch_id = $batch_id
    UNION ALL SELECT 'mentions', fact_id, article_id, evidence, evidence_start, evidence_end FROM mentions WHERE batch_id = $batch_id
)
SELECT f.fact_table, f.fact_id, f.article_id
FROM facts AS f
LEFT JOIN articles AS a USING (article_id)
WHERE a.article_id IS NULL
   OR f.evidence_start < 0
   OR f.evidence_end > length(a.text)
   OR substr(a.text, f.evidence_start + 1, f.evidence_end - f.evidence_start) <> f.evidence
ORDER BY f.fact_table, f.fact_id;
