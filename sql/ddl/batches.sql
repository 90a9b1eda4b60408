-- Table batches: one row per ingest batch (a Dagster dynamic partition).
CREATE TABLE IF NOT EXISTS batches (
    batch_id VARCHAR PRIMARY KEY,        -- stable id: hash of the batch's input file contents
    registered_at TIMESTAMPTZ NOT NULL,  -- when the batch was first seen (UTC); kept on re-runs
    input_paths VARCHAR[] NOT NULL,      -- the files and folders the batch was made of
    n_files INTEGER NOT NULL,            -- number of input files in the batch
    origin VARCHAR NOT NULL              -- who registered it: cli | sensor | test
);
