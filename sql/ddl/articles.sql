-- Table articles: one row per distinct article text (the first time it was seen).
CREATE TABLE IF NOT EXISTS articles (
    article_id VARCHAR PRIMARY KEY,      -- stable hash of the normalised text (white space and case folded)
    batch_id VARCHAR NOT NULL,           -- the batch that first ingested this text
    url VARCHAR,                         -- canonical or feed URL as given (never fetched)
    source VARCHAR,                      -- publisher, site name or wire agency
    title VARCHAR,                       -- headline
    author VARCHAR,                      -- byline from metadata, when present
    published_at TIMESTAMPTZ,            -- publication time in UTC; null when unknown
    published_at_source VARCHAR NOT NULL, -- metadata | dateline | none
    language VARCHAR NOT NULL,           -- ISO 639-1 code detected from the text (und when too short)
    language_score DOUBLE,               -- probability of the detected language
    is_english BOOLEAN NOT NULL,         -- only English articles are extracted; others are kept and flagged
    dateline VARCHAR,                    -- place of the dateline ("Moscow" for "MOSCOW (Reuters) -")
    text VARCHAR NOT NULL,               -- normalised body text (NFC, boilerplate lines dropped); all offsets point here
    n_words INTEGER NOT NULL,            -- words in text
    input_path VARCHAR NOT NULL,         -- file the article came from
    input_record VARCHAR NOT NULL,       -- record inside the file (line, item or WARC record id); empty for one-article files
    ingested_at TIMESTAMPTZ NOT NULL     -- when its batch was registered (UTC)
);
