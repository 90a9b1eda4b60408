-- Who reports different death tolls for the same strike?
-- Strike events whose reports give more than one number killed, with every claim: who makes it, the number
-- (killed_max is the high end of a range), its hedge and when it was published, earliest first.
SELECT
    c.event_id,
    e.event_date,
    e.location,
    e.country,
    e.killed_low,
    e.killed_best,
    e.killed_high,
    list({'claimant': c.claimant, 'killed': c.killed, 'killed_max': c.killed_max,
          'certainty': c.certainty, 'reported_at': c.reported_at}
         ORDER BY c.reported_at NULLS LAST, c.fact_id) AS claims
FROM casualty_claims AS c
JOIN events AS e ON e.event_id = c.event_id
WHERE c.fact_table = 'strikes'
GROUP BY c.event_id, e.event_date, e.location, e.country, e.killed_low, e.killed_best, e.killed_high
HAVING count(DISTINCT c.killed) > 1 OR count(DISTINCT coalesce(c.killed_max, c.killed)) > 1
ORDER BY e.killed_high - e.killed_low DESC NULLS LAST, c.event_id;
