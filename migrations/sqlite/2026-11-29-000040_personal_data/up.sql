-- Personal free text written with a device's history event (the condition at a loan's return,
-- the note at a non-return) is kept here, beside the append-only history, so that
-- anonymising the borrower can erase it without rewriting the history.
CREATE TABLE device_event_notes (
    event_id TEXT NOT NULL REFERENCES device_events (id),
    name TEXT NOT NULL,
    device_id TEXT NOT NULL REFERENCES devices (id),
    loan_id TEXT REFERENCES loans (id),
    text TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (event_id, name)
);
CREATE INDEX device_event_notes_loan ON device_event_notes (loan_id);

-- What anonymisation did, without any personal data: when, who or which job, which borrower.
CREATE TABLE anonymisation_log (
    id TEXT PRIMARY KEY NOT NULL,
    borrower_id TEXT NOT NULL REFERENCES borrowers (id),
    at TIMESTAMP NOT NULL,
    actor_user_id TEXT REFERENCES users (id),
    source TEXT NOT NULL,
    loans BIGINT NOT NULL,
    cleared_texts BIGINT NOT NULL
);
CREATE INDEX anonymisation_log_at ON anonymisation_log (at);

-- Move the personal text of existing loan events out of the history, once, here.
INSERT INTO device_event_notes (event_id, name, device_id, loan_id, text, created_at)
SELECT id, 'condition', device_id, json_extract(detail, '$.loan_id'), json_extract(detail, '$.condition'), at
FROM device_events
WHERE action = 'check_in' AND json_extract(detail, '$.loan_id') IS NOT NULL
  AND json_extract(detail, '$.condition') IS NOT NULL;
INSERT INTO device_event_notes (event_id, name, device_id, loan_id, text, created_at)
SELECT id, 'note', device_id, json_extract(detail, '$.loan_id'), json_extract(detail, '$.note'), at
FROM device_events
WHERE action = 'mark_lost' AND json_extract(detail, '$.loan_id') IS NOT NULL
  AND json_extract(detail, '$.note') IS NOT NULL;
DROP TRIGGER device_events_no_update;
UPDATE device_events SET detail = json_remove(detail, '$.condition')
WHERE action = 'check_in' AND json_extract(detail, '$.loan_id') IS NOT NULL;
UPDATE device_events SET detail = json_remove(detail, '$.note')
WHERE action = 'mark_lost' AND json_extract(detail, '$.loan_id') IS NOT NULL;
CREATE TRIGGER device_events_no_update BEFORE UPDATE ON device_events
BEGIN SELECT RAISE(ABORT, 'device history is append-only'); END;
