-- Donations, devices and the append-only device history (SQLite).
CREATE TABLE donations (
    id TEXT PRIMARY KEY NOT NULL,
    donor_organisation_id TEXT REFERENCES organisations (id),
    donor_name TEXT,
    anonymous BOOLEAN NOT NULL DEFAULT 0,
    received_on DATE NOT NULL,
    received_at TEXT NOT NULL,
    note TEXT,
    owner_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    workshop_id TEXT REFERENCES organisations (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX donations_received ON donations (received_on, id);

CREATE TABLE devices (
    id TEXT PRIMARY KEY NOT NULL,
    seq BIGINT NOT NULL,
    asset_tag TEXT NOT NULL,
    kind TEXT NOT NULL,
    subtype TEXT,
    brand TEXT NOT NULL,
    model TEXT NOT NULL,
    serial_number TEXT,
    serial_key TEXT,
    specs TEXT NOT NULL DEFAULT '{}',
    accessories TEXT,
    notes TEXT,
    status TEXT NOT NULL,
    donation_id TEXT REFERENCES donations (id),
    owner_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    holder_organisation_id TEXT REFERENCES organisations (id),
    workshop_id TEXT REFERENCES organisations (id),
    in_pool BOOLEAN NOT NULL DEFAULT 0,
    shelf_location TEXT,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX devices_seq ON devices (seq);
CREATE UNIQUE INDEX devices_asset_tag ON devices (asset_tag);
CREATE UNIQUE INDEX devices_serial_key ON devices (serial_key);
CREATE INDEX devices_status_kind_seq ON devices (status, kind, seq);
CREATE INDEX devices_kind_seq ON devices (kind, seq);
CREATE INDEX devices_donation_seq ON devices (donation_id, seq);
CREATE INDEX devices_holder_seq ON devices (holder_organisation_id, seq);
CREATE INDEX devices_workshop_seq ON devices (workshop_id, seq);
CREATE INDEX devices_created ON devices (created_at, id);

CREATE TABLE device_events (
    id TEXT PRIMARY KEY NOT NULL,
    device_id TEXT NOT NULL REFERENCES devices (id),
    seq INTEGER NOT NULL,
    at TIMESTAMP NOT NULL,
    actor_user_id TEXT REFERENCES users (id),
    action TEXT NOT NULL,
    status_before TEXT,
    status_after TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX device_events_device_seq ON device_events (device_id, seq);

-- The history is append-only: no code path may rewrite or delete it.
CREATE TRIGGER device_events_no_update BEFORE UPDATE ON device_events
BEGIN SELECT RAISE(ABORT, 'device history is append-only'); END;
CREATE TRIGGER device_events_no_delete BEFORE DELETE ON device_events
BEGIN SELECT RAISE(ABORT, 'device history is append-only'); END;

INSERT INTO counters (name, value) VALUES ('device_seq', 0);
