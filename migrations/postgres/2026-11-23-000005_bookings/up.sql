-- Bookings of the lending service's pool by organisations (PostgreSQL).
CREATE TABLE bookings (
    id TEXT PRIMARY KEY NOT NULL,
    reference TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    requested_by TEXT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    pickup_on DATE NOT NULL,
    return_on DATE NOT NULL,
    purpose TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    contact_phone TEXT,
    contact_email TEXT,
    note TEXT,
    confirmed_by TEXT REFERENCES users (id),
    confirmed_at TIMESTAMP,
    picked_up_at TIMESTAMP,
    returned_at TIMESTAMP,
    cancelled_at TIMESTAMP,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX bookings_reference ON bookings (reference);
CREATE INDEX bookings_org_pickup ON bookings (organisation_id, pickup_on, id);
CREATE INDEX bookings_pickup ON bookings (pickup_on, id);
CREATE INDEX bookings_status_return ON bookings (status, return_on);

-- What was asked: a kind (optionally subtype and model) and a quantity, or one device.
CREATE TABLE booking_lines (
    id TEXT PRIMARY KEY NOT NULL,
    booking_id TEXT NOT NULL REFERENCES bookings (id),
    line_no INTEGER NOT NULL,
    kind TEXT NOT NULL,
    subtype TEXT,
    model TEXT,
    device_id TEXT REFERENCES devices (id),
    quantity INTEGER NOT NULL
);
CREATE UNIQUE INDEX booking_lines_booking_line ON booking_lines (booking_id, line_no);

-- Which device is held for which booking, over which days (pick-up through return plus the
-- turnaround). Rows are never deleted: released allocations keep state 'released'.
CREATE TABLE booking_devices (
    id TEXT PRIMARY KEY NOT NULL,
    booking_id TEXT NOT NULL REFERENCES bookings (id),
    device_id TEXT NOT NULL REFERENCES devices (id),
    line_no INTEGER,
    state TEXT NOT NULL,
    occupied_from DATE NOT NULL,
    occupied_until DATE NOT NULL,
    picked_up_at TIMESTAMP,
    returned_at TIMESTAMP,
    return_condition TEXT,
    missing_accessories TEXT,
    reported_missing BOOLEAN NOT NULL DEFAULT FALSE,
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX booking_devices_booking_device ON booking_devices (booking_id, device_id);
-- Conflict checks: a device's occupancies ending on or after a day (the future ones), read
-- from the index alone.
CREATE INDEX booking_devices_device_until ON booking_devices (device_id, occupied_until, occupied_from, state, booking_id);
-- Availability of the whole pool over a range: occupancies starting in a bounded window.
CREATE INDEX booking_devices_from ON booking_devices (occupied_from, occupied_until, device_id, state, booking_id);
