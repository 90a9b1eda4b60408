-- Table rejects: one row per input file or record that could not be ingested.
CREATE TABLE IF NOT EXISTS rejects (
    reject_id VARCHAR PRIMARY KEY,       -- stable hash of batch, file, record and reason
    batch_id VARCHAR NOT NULL,           -- batch the input belonged to
    input_path VARCHAR NOT NULL,         -- file that was rejected, or that holds the rejected record
    input_record VARCHAR NOT NULL,       -- record inside the file; empty when the whole file is rejected
    reason VARCHAR NOT NULL,             -- code: empty | binary | undecodable | oversized | malformed_json | malformed_feed | malformed_warc | unsupported_format | no_text | unreadable
    detail VARCHAR                       -- what exactly was wrong, in words
);
