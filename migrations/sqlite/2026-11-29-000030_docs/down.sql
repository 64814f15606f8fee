ALTER TABLE wipe_records DROP COLUMN verified_by;
ALTER TABLE organisations DROP COLUMN return_instructions;
ALTER TABLE organisations DROP COLUMN opening_hours;
