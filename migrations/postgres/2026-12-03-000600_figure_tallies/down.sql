DROP TRIGGER refurbishments_tally ON refurbishments;
DROP TRIGGER wipe_records_tally ON wipe_records;
DROP TRIGGER device_events_tally ON device_events;
DROP FUNCTION refurbishments_tally();
DROP FUNCTION wipe_records_tally();
DROP FUNCTION device_events_tally();
DROP TABLE figure_tallies;
