-- View arms_sales_by_supplier_recipient_year: one row per seller_country, buyer_country (ISO3, null when unknown) and year of the deal's date (null when undated).
-- A deal counts once: as its event when its report is grouped into one (approval and signature of one sale are one
-- event; the event's countries, date and value_usd), else as its own report. n_deals = those deals of any status;
-- total_value_usd = sum of their value_usd (null when no deal states a value); n_deals_with_value = deals in that sum.
CREATE OR REPLACE VIEW arms_sales_by_supplier_recipient_year AS
WITH reports AS (
    SELECT
        s.fact_id,
        e.event_id,
        CASE WHEN e.event_id IS NULL THEN s.seller_country ELSE e.seller_country END AS seller_country,
        CASE WHEN e.event_id IS NULL THEN s.buyer_country ELSE e.buyer_country END AS buyer_country,
        CASE WHEN e.event_id IS NULL THEN s.event_date ELSE e.event_date END AS deal_date,
        CASE WHEN e.event_id IS NULL THEN s.value_usd ELSE e.value_usd END AS value_usd
    FROM arms_sales AS s
    LEFT JOIN event_reports AS r ON r.fact_id = s.fact_id AND r.fact_table = 'arms_sales'
    LEFT JOIN events AS e ON e.event_id = r.event_id AND e.type = 'arms_sale'
),
counted AS (
    SELECT DISTINCT
        coalesce(event_id, fact_id) AS deal_id,
        seller_country, buyer_country, deal_date, value_usd
    FROM reports
)
SELECT
    seller_country,
    buyer_country,
    CAST(year(deal_date) AS INTEGER) AS year,
    count(*) AS n_deals,
    sum(value_usd) AS total_value_usd,
    count(value_usd) AS n_deals_with_value
FROM counted
GROUP BY seller_country, buyer_country, year(deal_date)
ORDER BY total_value_usd DESC NULLS LAST, n_deals DESC, seller_country NULLS LAST, buyer_country NULLS LAST, year NULLS LAST;
