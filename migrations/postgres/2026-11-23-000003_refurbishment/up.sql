-- Storage drives, wipe records (NIST SP 800-88), refurbishment records, certificates.
CREATE TABLE drives (
    id TEXT PRIMARY KEY NOT NULL,
    device_id TEXT NOT NULL REFERENCES devices (id),
    position INTEGER NOT NULL,
    drive_type TEXT NOT NULL,
    capacity_gb INTEGER NOT NULL,
    serial TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX drives_device_position ON drives (device_id, position);

CREATE TABLE wipe_records (
    id TEXT PRIMARY KEY NOT NULL,
    device_id TEXT NOT NULL REFERENCES devices (id),
    drive_id TEXT REFERENCES drives (id),
    category TEXT NOT NULL,
    technique TEXT NOT NULL,
    tool TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    drive_serial TEXT,
    drive_type TEXT NOT NULL,
    capacity_gb INTEGER,
    passes INTEGER NOT NULL,
    verified BOOLEAN NOT NULL,
    verification_method TEXT NOT NULL,
    outcome TEXT NOT NULL,
    technician_user_id TEXT NOT NULL REFERENCES users (id),
    technician_name TEXT NOT NULL,
    workshop_id TEXT NOT NULL REFERENCES organisations (id),
    started_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP NOT NULL,
    report_file_name TEXT,
    report_sha256 TEXT,
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX wipe_records_device ON wipe_records (device_id, created_at);

CREATE TABLE refurbishments (
    id TEXT PRIMARY KEY NOT NULL,
    device_id TEXT NOT NULL REFERENCES devices (id),
    checks TEXT NOT NULL,
    battery_health_pct INTEGER,
    parts_replaced TEXT,
    os_installed TEXT,
    os_version TEXT,
    cosmetic_grade TEXT NOT NULL,
    functional_pass BOOLEAN NOT NULL,
    minutes_spent INTEGER NOT NULL,
    technician_user_id TEXT NOT NULL REFERENCES users (id),
    technician_name TEXT NOT NULL,
    workshop_id TEXT NOT NULL REFERENCES organisations (id),
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX refurbishments_device ON refurbishments (device_id, created_at);

CREATE TABLE certificates (
    id TEXT PRIMARY KEY NOT NULL,
    donation_id TEXT NOT NULL REFERENCES donations (id),
    number TEXT NOT NULL,
    issued_on DATE NOT NULL,
    issued_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX certificates_donation ON certificates (donation_id);
CREATE UNIQUE INDEX certificates_number ON certificates (number);

INSERT INTO counters (name, value) VALUES ('certificate_seq', 0);
