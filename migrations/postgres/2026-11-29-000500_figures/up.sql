-- Figures (issue 16): frozen years, and indexes for the reporting queries.
CREATE TABLE frozen_figures (
    year INTEGER NOT NULL,
    scope TEXT NOT NULL,
    figures TEXT NOT NULL,
    csv BYTEA NOT NULL,
    xlsx BYTEA NOT NULL,
    frozen_at TIMESTAMP NOT NULL,
    frozen_by TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (year, scope)
);

CREATE INDEX device_events_action_at ON device_events (action, at, device_id);
CREATE INDEX devices_updated_status_kind ON devices (updated_at, status, kind);
CREATE INDEX wipe_records_ended ON wipe_records (ended_at);
CREATE INDEX refurbishments_created ON refurbishments (created_at);
CREATE INDEX loans_signed ON loans (signed_on);
