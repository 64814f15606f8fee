-- Lending programmes, borrowers, loans to people, checkpoints, charges and signed scans
-- (PostgreSQL). Kept in step with the SQLite set: same tables, same columns.
CREATE TABLE programmes (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    end_date DATE NOT NULL,
    checkpoint_interval_months INTEGER NOT NULL,
    value_cents BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX programmes_name ON programmes (name);

CREATE TABLE borrowers (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    date_of_birth DATE NOT NULL,
    language TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    address TEXT,
    social_worker_id TEXT NOT NULL REFERENCES users (id),
    note TEXT,
    anonymised_at TIMESTAMP,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX borrowers_org_created ON borrowers (organisation_id, created_at, id);
CREATE INDEX borrowers_org_key ON borrowers (organisation_id, name_key, date_of_birth);

CREATE TABLE loans (
    id TEXT PRIMARY KEY NOT NULL,
    number TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    borrower_id TEXT NOT NULL REFERENCES borrowers (id),
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    social_worker_id TEXT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    purpose TEXT NOT NULL,
    accessories TEXT NOT NULL DEFAULT '[]',
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    programme_end_date DATE NOT NULL,
    checkpoint_interval_months INTEGER NOT NULL,
    value_cents BIGINT NOT NULL,
    signed_on DATE,
    signed_place TEXT,
    signed_by_borrower BOOLEAN NOT NULL DEFAULT FALSE,
    signed_by_social_worker BOOLEAN NOT NULL DEFAULT FALSE,
    signed_recorded_by TEXT REFERENCES users (id),
    closed_at TIMESTAMP,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX loans_number ON loans (number);
CREATE INDEX loans_org_created ON loans (organisation_id, created_at, id);
CREATE INDEX loans_borrower ON loans (borrower_id);
CREATE INDEX loans_status_end ON loans (status, end_date);

-- open_device_id is the device id while the device is out under this loan and NULL
-- otherwise: the unique index makes two open loans of one device impossible.
CREATE TABLE loan_devices (
    id TEXT PRIMARY KEY NOT NULL,
    loan_id TEXT NOT NULL REFERENCES loans (id),
    device_id TEXT NOT NULL REFERENCES devices (id),
    status TEXT NOT NULL,
    open_device_id TEXT,
    returned_on DATE,
    return_condition TEXT,
    accessories_back TEXT,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX loan_devices_loan_device ON loan_devices (loan_id, device_id);
CREATE UNIQUE INDEX loan_devices_open ON loan_devices (open_device_id);
CREATE INDEX loan_devices_device ON loan_devices (device_id);

CREATE TABLE loan_checkpoints (
    id TEXT PRIMARY KEY NOT NULL,
    loan_id TEXT NOT NULL REFERENCES loans (id),
    due_on DATE NOT NULL,
    held_on DATE,
    device_present BOOLEAN,
    device_working BOOLEAN,
    condition TEXT,
    still_needed BOOLEAN,
    note TEXT,
    recorded_by TEXT REFERENCES users (id),
    recorded_at TIMESTAMP
);
CREATE UNIQUE INDEX loan_checkpoints_loan_due ON loan_checkpoints (loan_id, due_on);
CREATE INDEX loan_checkpoints_due ON loan_checkpoints (due_on);

CREATE TABLE loan_charges (
    id TEXT PRIMARY KEY NOT NULL,
    loan_id TEXT NOT NULL REFERENCES loans (id),
    device_id TEXT NOT NULL REFERENCES devices (id),
    kind TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    status TEXT NOT NULL,
    raised_on DATE NOT NULL,
    paid_on DATE,
    paid_amount_cents BIGINT,
    method TEXT,
    waived_reason TEXT,
    settled_by TEXT REFERENCES users (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX loan_charges_loan ON loan_charges (loan_id);
CREATE UNIQUE INDEX loan_charges_loan_device ON loan_charges (loan_id, device_id);

CREATE TABLE loan_scans (
    loan_id TEXT PRIMARY KEY NOT NULL REFERENCES loans (id),
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users (id),
    uploaded_at TIMESTAMP NOT NULL
);

INSERT INTO counters (name, value) VALUES ('loan_seq', 0);
