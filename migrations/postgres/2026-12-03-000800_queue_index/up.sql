-- A workshop's queue: its devices in the queue's statuses, oldest first, read without scanning
-- the devices of every other workshop (domain::refurbishment::queue).
CREATE INDEX devices_workshop_status_updated ON devices (workshop_id, status, updated_at, seq);
