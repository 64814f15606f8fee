DELETE FROM counters WHERE name = 'certificate_seq';
DROP TABLE certificates;
DROP TABLE refurbishments;
DROP TABLE wipe_records;
DROP TABLE drives;
