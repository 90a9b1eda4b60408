-- Table strikes: one row per strike reported in one article (air, drone, missile, rocket, artillery, naval strikes and bombings; mentions of the same strike in an article are merged).
CREATE TABLE IF NOT EXISTS strikes (
    fact_id VARCHAR PRIMARY KEY,         -- stable hash of article, sentence and the fact's key fields
    article_id VARCHAR NOT NULL,         -- article the fact was read from (see articles)
    batch_id VARCHAR NOT NULL,           -- batch of that article
    sentence_index INTEGER NOT NULL,     -- 0-based index of the evidence sentence in the article
    evidence VARCHAR NOT NULL,           -- the sentence that states the fact, verbatim
    evidence_start INTEGER NOT NULL,     -- offset of evidence in articles.text (characters, 0-based)
    evidence_end INTEGER NOT NULL,       -- end offset (exclusive): substr(text, evidence_start + 1, evidence_end - evidence_start) = evidence
    attacker VARCHAR,                    -- who struck, as canonical actor name ("Russia", "Islamic State")
    attacker_country VARCHAR,            -- ISO 3166-1 alpha-3 of the attacker; null for transnational groups or unknown
    target VARCHAR,                      -- what or whom was struck, as written
    target_type VARCHAR NOT NULL,        -- military | armed_group | civilian | infrastructure | person | unknown
    location VARCHAR,                    -- place of the event, as written (the most specific place named: "Khanasir", "Silame area")
    place_name VARCHAR,                  -- the gazetteer's name of that place (canonical spelling); null when the place is unresolved
    country VARCHAR,                     -- ISO3 of the country where it happened
    latitude DOUBLE,                     -- of location (or of the larger place named with it, at geo_precision near or region); null when unknown
    longitude DOUBLE,                    -- of location
    geo_precision VARCHAR,               -- exact (town or site) | near (in or near a town) | region (district or province) | country | water | unresolved (named, not in the gazetteer)
    weapon VARCHAR NOT NULL,             -- air | drone | missile | rocket | artillery | naval | bomb | unspecified
    killed INTEGER,                      -- people killed (the low end when a range is given; "at least 12" = 12)
    killed_max INTEGER,                  -- high end of a range; equals killed for an exact number; null when open
    wounded INTEGER,                     -- people wounded (low end)
    killed_text VARCHAR,                 -- the raw casualty phrase ("at least 12", "dozens")
    certainty VARCHAR NOT NULL,          -- confirmed | reported | claimed | denied | possible
    attributed_to VARCHAR,               -- who says so ("the Pentagon", "the group", "local officials"); null when the reporter states it
    date_text VARCHAR,                   -- the raw date phrase ("on Thursday", "last week")
    event_date DATE,                     -- the phrase resolved against published_at; null when unknown
    date_precision VARCHAR,              -- day | week | month | year; null when unknown
    confidence DOUBLE NOT NULL,          -- 0..1: how sure the extractor is that this row is a real fact of this type
    extractor_version VARCHAR NOT NULL   -- version of the rules that produced the row
);
