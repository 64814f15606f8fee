DROP INDEX loans_signed;
DROP INDEX refurbishments_created;
DROP INDEX wipe_records_ended;
DROP INDEX devices_updated_status_kind;
DROP INDEX device_events_action_at;
DROP TABLE frozen_figures;
