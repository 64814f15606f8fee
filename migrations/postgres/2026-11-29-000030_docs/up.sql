-- Organisations edited by admins: where and when to pick up, how to return.
ALTER TABLE organisations ADD COLUMN opening_hours TEXT;
ALTER TABLE organisations ADD COLUMN return_instructions TEXT;
-- The person who verified a wipe (NIST SP 800-88's certificate names them).
ALTER TABLE wipe_records ADD COLUMN verified_by TEXT;
