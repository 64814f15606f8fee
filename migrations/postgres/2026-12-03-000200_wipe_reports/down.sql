DROP INDEX donations_workshop;
DROP INDEX wipe_reports_device;
DROP TABLE wipe_reports;
