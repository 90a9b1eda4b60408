-- Table killings: one row per killing reported in one article: named people killed, and tolls not already carried by a strike row.
CREATE TABLE IF NOT EXISTS killings (
    fact_id VARCHAR PRIMARY KEY,         -- stable hash of article, sentence and the fact's key fields
    article_id VARCHAR NOT NULL,         -- article the fact was read from (see articles)
    batch_id VARCHAR NOT NULL,           -- batch of that article
    sentence_index INTEGER NOT NULL,     -- 0-based index of the evidence sentence in the article
    evidence VARCHAR NOT NULL,           -- the sentence that states the fact, verbatim
    evidence_start INTEGER NOT NULL,     -- offset of evidence in articles.text (characters, 0-based)
    evidence_end INTEGER NOT NULL,       -- end offset (exclusive): substr(text, evidence_start + 1, evidence_end - evidence_start) = evidence
    victim VARCHAR,                      -- named person or group killed, as written
    victim_role VARCHAR,                 -- role of the victim ("commander", "journalist")
    killed INTEGER,                      -- number killed (1 for a named person)
    perpetrator VARCHAR,                 -- who killed, canonical actor name, when said
    perpetrator_country VARCHAR,         -- ISO3 of the perpetrator
    location VARCHAR,                    -- place of the event, as written (the most specific place named: "Khanasir", "Silame area")
    place_name VARCHAR,                  -- the gazetteer's name of that place (canonical spelling); null when the place is unresolved
    country VARCHAR,                     -- ISO3 of the country where it happened
    latitude DOUBLE,                     -- of location
    longitude DOUBLE,                    -- of location
    certainty VARCHAR NOT NULL,          -- confirmed | reported | claimed | denied | possible
    attributed_to VARCHAR,               -- who says so ("the Pentagon", "the group", "local officials"); null when the reporter states it
    date_text VARCHAR,                   -- the raw date phrase ("on Thursday", "last week")
    event_date DATE,                     -- the phrase resolved against published_at; null when unknown
    date_precision VARCHAR,              -- day | week | month | year; null when unknown
    confidence DOUBLE NOT NULL,          -- 0..1: how sure the extractor is that this row is a real fact of this type
    extractor_version VARCHAR NOT NULL   -- version of the rules that produced the row
);
