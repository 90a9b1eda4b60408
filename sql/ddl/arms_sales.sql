-- Table arms_sales: one row per arms deal reported in one article (mentions of the same deal in an article are merged).
CREATE TABLE IF NOT EXISTS arms_sales (
    fact_id VARCHAR PRIMARY KEY,         -- stable hash of article, sentence and the fact's key fields
    article_id VARCHAR NOT NULL,         -- article the fact was read from (see articles)
    batch_id VARCHAR NOT NULL,           -- batch of that article
    sentence_index INTEGER NOT NULL,     -- 0-based index of the evidence sentence in the article
    evidence VARCHAR NOT NULL,           -- the sentence that states the fact, verbatim
    evidence_start INTEGER NOT NULL,     -- offset of evidence in articles.text (characters, 0-based)
    evidence_end INTEGER NOT NULL,       -- end offset (exclusive): substr(text, evidence_start + 1, evidence_end - evidence_start) = evidence
    seller VARCHAR,                      -- selling country or company, canonical
    seller_country VARCHAR,              -- ISO3 of the seller
    buyer VARCHAR,                       -- buying country or force, canonical
    buyer_country VARCHAR,               -- ISO3 of the buyer
    items VARCHAR,                       -- what is sold, as written ("F-16 fighter jets")
    quantity INTEGER,                    -- number of items, when stated
    value DOUBLE,                        -- value as stated, in currency (units applied: "1.2bn" = 1200000000)
    currency VARCHAR,                    -- ISO 4217 code of value
    value_usd DOUBLE,                    -- value in US dollars at the yearly average rate of the publication year (pipelines/data/usd_rates.csv)
    value_text VARCHAR,                  -- the raw money phrase ("nearly $40 billion")
    value_qualifier VARCHAR,             -- about | nearly | up to | more than | exact
    status VARCHAR NOT NULL,             -- requested | approved | proposed | signed | delivered | cancelled | reported
    certainty VARCHAR NOT NULL,          -- confirmed | reported | claimed | denied | possible
    attributed_to VARCHAR,               -- who says so ("the Pentagon", "the group", "local officials"); null when the reporter states it
    date_text VARCHAR,                   -- the raw date phrase ("on Thursday", "last week")
    event_date DATE,                     -- the phrase resolved against published_at; null when unknown
    date_precision VARCHAR,              -- day | week | month | year; null when unknown
    confidence DOUBLE NOT NULL,          -- 0..1: how sure the extractor is that this row is a real fact of this type
    extractor_version VARCHAR NOT NULL   -- version of the rules that produced the row
);
