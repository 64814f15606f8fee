DELETE FROM counters WHERE name = 'device_seq';
DROP TABLE device_events;
DROP FUNCTION device_events_append_only();
DROP TABLE devices;
DROP TABLE donations;
