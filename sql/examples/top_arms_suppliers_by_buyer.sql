-- Which suppliers sold most to which buyers, in USD?
-- Deals counted once each (approval and signature of one sale are one event), all years and statuses;
-- usd_billion sums the deals that state a value (deals_with_value of deals).
SELECT
    seller_country,
    buyer_country,
    sum(n_deals) AS deals,
    sum(n_deals_with_value) AS deals_with_value,
    round(sum(total_value_usd) / 1e9, 3) AS usd_billion
FROM arms_sales_by_supplier_recipient_year
GROUP BY seller_country, buyer_country
ORDER BY usd_billion DESC NULLS LAST, deals DESC, seller_country NULLS LAST, buyer_country NULLS LAST;
