-- Table mentions: one row per mention of a person, organisation, armed group, country or place in one article.
CREATE TABLE IF NOT EXISTS mentions (
    fact_id VARCHAR PRIMARY KEY,         -- stable hash of article, sentence and the fact's key fields
    article_id VARCHAR NOT NULL,         -- article the fact was read from (see articles)
    batch_id VARCHAR NOT NULL,           -- batch of that article
    sentence_index INTEGER NOT NULL,     -- 0-based index of the evidence sentence in the article
    evidence VARCHAR NOT NULL,           -- the sentence that states the fact, verbatim
    evidence_start INTEGER NOT NULL,     -- offset of evidence in articles.text (characters, 0-based)
    evidence_end INTEGER NOT NULL,       -- end offset (exclusive): substr(text, evidence_start + 1, evidence_end - evidence_start) = evidence
    mention VARCHAR NOT NULL,            -- the text as written
    mention_start INTEGER NOT NULL,      -- offset in articles.text
    mention_end INTEGER NOT NULL,        -- end offset (exclusive) in articles.text
    kind VARCHAR NOT NULL,               -- person | organisation | armed_group | country | place
    canonical VARCHAR,                   -- canonical name ("Islamic State" for ISIS, "Russia" for the Kremlin)
    iso3 VARCHAR,                        -- ISO3 country the mention stands for or lies in
    latitude DOUBLE,                     -- for places with known coordinates
    longitude DOUBLE,                    -- of the place, for places with known coordinates
    certainty VARCHAR NOT NULL,          -- confirmed | reported | claimed | denied | possible
    attributed_to VARCHAR,               -- who says so ("the Pentagon", "the group", "local officials"); null when the reporter states it
    date_text VARCHAR,                   -- the raw date phrase ("on Thursday", "last week")
    event_date DATE,                     -- the phrase resolved against published_at; null when unknown
    date_precision VARCHAR,              -- day | week | month | year; null when unknown
    confidence DOUBLE NOT NULL,          -- 0..1: how sure the extractor is that this row is a real fact of this type
    extractor_version VARCHAR NOT NULL   -- version of the rules that produced the row
);
