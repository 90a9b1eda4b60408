-- Table visits: one row per diplomatic or official visit reported in one article (mentions of the same visit in an article are merged).
CREATE TABLE IF NOT EXISTS visits (
    fact_id VARCHAR PRIMARY KEY,         -- stable hash of article, sentence and the fact's key fields
    article_id VARCHAR NOT NULL,         -- article the fact was read from (see articles)
    batch_id VARCHAR NOT NULL,           -- batch of that article
    sentence_index INTEGER NOT NULL,     -- 0-based index of the evidence sentence in the article
    evidence VARCHAR NOT NULL,           -- the sentence that states the fact, verbatim
    evidence_start INTEGER NOT NULL,     -- offset of evidence in articles.text (characters, 0-based)
    evidence_end INTEGER NOT NULL,       -- end offset (exclusive): substr(text, evidence_start + 1, evidence_end - evidence_start) = evidence
    visitor VARCHAR,                     -- person (or delegation) visiting, as written
    visitor_role VARCHAR,                -- title ("Secretary of State", "foreign minister")
    visitor_country VARCHAR,             -- ISO3 of the country the visitor represents
    destination VARCHAR,                 -- city or country visited (canonical spelling)
    destination_country VARCHAR,         -- ISO3 of the destination
    host VARCHAR,                        -- whom the visitor met, when said
    purpose VARCHAR,                     -- stated purpose, as written ("to seek cooperation on Syria")
    status VARCHAR NOT NULL,             -- occurred | ongoing | planned | cancelled
    certainty VARCHAR NOT NULL,          -- confirmed | reported | claimed | denied | possible
    attributed_to VARCHAR,               -- who says so ("the Pentagon", "the group", "local officials"); null when the reporter states it
    date_text VARCHAR,                   -- the raw date phrase ("on Thursday", "last week")
    event_date DATE,                     -- the phrase resolved against published_at; null when unknown
    date_precision VARCHAR,              -- day | week | month | year; null when unknown
    confidence DOUBLE NOT NULL,          -- 0..1: how sure the extractor is that this row is a real fact of this type
    extractor_version VARCHAR NOT NULL   -- version of the rules that produced the row
);
