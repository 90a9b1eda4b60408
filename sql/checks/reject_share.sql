-- Check: one row for the batch: input records, rejects, and the share rejected.
-- Parameters: $batch_id.
WITH n AS (
    SELECT
        (SELECT count(*) FROM articles WHERE batch_id = $batch_id)
      + (SELECT count(*) FROM duplicates WHERE batch_id = $batch_id)
      + (SELECT count(*) FROM rejects WHERE batch_id = $batch_id) AS n_records,
        (SELECT count(*) FROM rejects WHERE batch_id = $batch_id) AS n_rejects
)
SELECT n_records, n_rejects, coalesce(n_rejects / nullif(n_records, 0), 0.0) AS reject_share FROM n;
