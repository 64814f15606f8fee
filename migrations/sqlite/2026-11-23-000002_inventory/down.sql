DELETE FROM counters WHERE name = 'device_seq';
DROP TABLE device_events;
DROP TABLE devices;
DROP TABLE donations;
