DROP TRIGGER refurbishments_tally;
DROP TRIGGER wipe_records_tally;
DROP TRIGGER device_events_tally;
DROP TABLE figure_tallies;
