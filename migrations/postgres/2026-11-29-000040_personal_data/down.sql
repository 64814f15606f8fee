-- The moved texts are not put back into the history (it is append-only).
DROP TABLE anonymisation_log;
DROP TABLE device_event_notes;
