-- Table events: one row per real-world event (a strike, visit, arms sale or killing), grouping its reports across articles.
CREATE TABLE IF NOT EXISTS events (
    event_id VARCHAR PRIMARY KEY,        -- stable: hash of the event's founding report (its first fact); never renumbered
    type VARCHAR NOT NULL,               -- strike | visit | arms_sale | killing
    event_date DATE,                     -- the date most reports give (earliest on a tie)
    date_precision VARCHAR,              -- day | week | month | year
    first_reported_at TIMESTAMPTZ,       -- publication time of the earliest report
    last_reported_at TIMESTAMPTZ,        -- publication time of the latest report
    n_reports INTEGER NOT NULL,          -- fact rows grouped into the event (see event_reports)
    n_sources INTEGER NOT NULL,          -- distinct sources (publisher, else URL host, else article) among the reports
    killed_best INTEGER,                 -- median of the reports' casualty claims (strikes and killings)
    killed_low INTEGER,                  -- lowest claim
    killed_high INTEGER,                 -- highest claim (killed_max where given)
    attacker VARCHAR,                    -- strikes: the attacker most reports name
    attacker_country VARCHAR,            -- ISO3
    target VARCHAR,                      -- strikes: the target most reports name
    location VARCHAR,                    -- strikes and killings: the most precise place the reports give
    country VARCHAR,                     -- ISO3 of where it happened
    latitude DOUBLE,                     -- of location
    longitude DOUBLE,                    -- of location
    weapon VARCHAR,                      -- strikes: the weapon class most reports give
    visitor VARCHAR,                     -- visits: the visitor
    visitor_country VARCHAR,             -- ISO3
    destination VARCHAR,                 -- visits: the destination
    destination_country VARCHAR,         -- ISO3
    seller VARCHAR,                      -- arms sales: the seller
    seller_country VARCHAR,              -- ISO3
    buyer VARCHAR,                       -- arms sales: the buyer
    buyer_country VARCHAR,               -- ISO3
    items VARCHAR,                       -- arms sales: the items
    value_usd DOUBLE,                    -- arms sales: the value most reports give (the latest on a tie)
    status VARCHAR,                      -- visits and arms sales: the furthest stage any report gives
    victim VARCHAR,                      -- killings: the victim
    perpetrator VARCHAR,                 -- killings: the perpetrator most reports name
    perpetrator_country VARCHAR,         -- ISO3
    certainty VARCHAR                    -- the strongest qualification any report gives (denied > claimed > possible > confirmed > reported)
);
