-- Table duplicates: one row per input record whose text was already ingested (same article_id).
CREATE TABLE IF NOT EXISTS duplicates (
    duplicate_id VARCHAR PRIMARY KEY,    -- stable hash of batch, file and record
    article_id VARCHAR NOT NULL,         -- the article this record repeats (see articles)
    batch_id VARCHAR NOT NULL,           -- batch in which the repeat was seen
    url VARCHAR,                         -- URL of the repeat, so no source of a report is lost
    source VARCHAR,                      -- publisher of the repeat
    title VARCHAR,                       -- headline of the repeat
    published_at TIMESTAMPTZ,            -- publication time of the repeat (UTC)
    input_path VARCHAR NOT NULL,         -- file of the repeat
    input_record VARCHAR NOT NULL        -- record inside that file
);
