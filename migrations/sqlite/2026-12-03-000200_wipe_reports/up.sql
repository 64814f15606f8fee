-- The wipe tool's own report file (nwipe log, Blancco report), stored with the wipe record
-- it belongs to; its SHA-256 is computed by the server. Evidence: one per wipe, never replaced.
CREATE TABLE wipe_reports (
    wipe_id TEXT PRIMARY KEY NOT NULL REFERENCES wipe_records (id),
    device_id TEXT NOT NULL REFERENCES devices (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users (id),
    uploaded_at TIMESTAMP NOT NULL
);

CREATE INDEX wipe_reports_device ON wipe_reports (device_id);
-- The workshop's batches and their progress (issue 13).
CREATE INDEX donations_workshop ON donations (workshop_id, received_on);
