-- Table event_reports: one row per fact (report) grouped into an event.
CREATE TABLE IF NOT EXISTS event_reports (
    event_id VARCHAR NOT NULL,           -- the event (see events)
    fact_id VARCHAR PRIMARY KEY,         -- the report: a row of the fact table named in fact_table
    fact_table VARCHAR NOT NULL,         -- strikes | visits | arms_sales | killings
    article_id VARCHAR NOT NULL,         -- article of the report
    batch_id VARCHAR NOT NULL,           -- batch of the report
    similarity DOUBLE NOT NULL           -- 0..1: share of compared fields on which the report agrees with the event (1 for the founding report)
);
