-- Figures (issue 16): running tallies of the records the figures count, per UTC day, kept by
-- triggers as the records are written, so that a year's figures add up a few thousand tally
-- rows instead of re-reading a million devices' history. The history, wipe records and
-- refurbishments are only ever inserted, and a device's kind never changes, so a tally never
-- goes stale. What each fact counts (`a`, `b`, `c` are its keys, `h` a number key):
--   event          a = action, b = kind: history events.
--   status         a = status, b = kind: +1 when a device enters the status, -1 when it
--                  leaves it (the sum up to a moment is the stock per status at that moment).
--   exit           a = status left, b = action, h = hundredths of a day spent in it since the
--                  latest status change into it (the workshop's stage times).
--   first_release  b = kind: the first release (certified ready) in a device's life.
--   wipe           a = outcome, b = NIST category, c = kind: wipe records, by their end.
--   refurbishment  a = pass / fail, b = cosmetic grade, c = kind: refurbishment records.
-- `xid` is 0 here (SQLite has one writer); on PostgreSQL each transaction writes its own
-- rows, folded into xid 0 later, so that writers never wait on each other's tally rows.
CREATE TABLE figure_tallies (
    fact TEXT NOT NULL,
    day DATE NOT NULL,
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    c TEXT NOT NULL,
    h BIGINT NOT NULL,
    xid BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (fact, day, a, b, c, h, xid)
) WITHOUT ROWID;

CREATE TRIGGER device_events_tally AFTER INSERT ON device_events
BEGIN
    INSERT INTO figure_tallies (day, fact, a, b, c, h, xid, n)
    SELECT date(NEW.at), 'event', NEW.action, d.kind, '', 0, 0, 1
    FROM devices d WHERE d.id = NEW.device_id
    ON CONFLICT (fact, day, a, b, c, h, xid) DO UPDATE SET n = n + excluded.n;

    INSERT INTO figure_tallies (day, fact, a, b, c, h, xid, n)
    SELECT date(NEW.at), 'status', s.status, d.kind, '', 0, 0, s.n
    FROM devices d,
      (SELECT NEW.status_after AS status, 1 AS n
       UNION ALL SELECT NEW.status_before, -1 WHERE NEW.status_before IS NOT NULL) s
    WHERE d.id = NEW.device_id
      AND (NEW.status_before IS NULL OR NEW.status_before <> NEW.status_after)
    ON CONFLICT (fact, day, a, b, c, h, xid) DO UPDATE SET n = n + excluded.n;

    INSERT INTO figure_tallies (day, fact, a, b, c, h, xid, n)
    SELECT date(NEW.at), 'exit', NEW.status_before, NEW.action, '',
      CAST(ROUND((julianday(NEW.at) - julianday(x.entered_at)) * 100) AS BIGINT), 0, 1
    FROM (SELECT MAX(p.at) AS entered_at FROM device_events p
          WHERE p.device_id = NEW.device_id AND p.seq < NEW.seq
            AND p.status_after = NEW.status_before
            AND (p.status_before IS NULL OR p.status_before <> p.status_after)) x
    WHERE NEW.status_before IS NOT NULL AND x.entered_at IS NOT NULL
    ON CONFLICT (fact, day, a, b, c, h, xid) DO UPDATE SET n = n + excluded.n;

    INSERT INTO figure_tallies (day, fact, a, b, c, h, xid, n)
    SELECT date(NEW.at), 'first_release', '', d.kind, '', 0, 0, 1
    FROM devices d
    WHERE d.id = NEW.device_id AND NEW.action = 'release'
      AND NOT EXISTS (SELECT 1 FROM device_events p WHERE p.device_id = NEW.device_id
                      AND p.action = 'release' AND p.seq < NEW.seq)
    ON CONFLICT (fact, day, a, b, c, h, xid) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER wipe_records_tally AFTER INSERT ON wipe_records
BEGIN
    INSERT INTO figure_tallies (day, fact, a, b, c, h, xid, n)
    SELECT date(NEW.ended_at), 'wipe', NEW.outcome, NEW.category, d.kind, 0, 0, 1
    FROM devices d WHERE d.id = NEW.device_id
    ON CONFLICT (fact, day, a, b, c, h, xid) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER refurbishments_tally AFTER INSERT ON refurbishments
BEGIN
    INSERT INTO figure_tallies (day, fact, a, b, c, h, xid, n)
    SELECT date(NEW.created_at), 'refurbishment',
      CASE WHEN NEW.functional_pass THEN 'pass' ELSE 'fail' END, NEW.cosmetic_grade, d.kind,
      0, 0, 1
    FROM devices d WHERE d.id = NEW.device_id
    ON CONFLICT (fact, day, a, b, c, h, xid) DO UPDATE SET n = n + excluded.n;
END;

-- The other reporting queries read their period through these.
CREATE INDEX devices_created_kind_donation ON devices (created_at, kind, donation_id);
CREATE INDEX loan_checkpoints_held ON loan_checkpoints (held_on);
CREATE INDEX booking_devices_picked_up ON booking_devices (picked_up_at);
CREATE INDEX bookings_created ON bookings (created_at);
CREATE INDEX bookings_confirmed ON bookings (confirmed_at);
CREATE INDEX bookings_cancelled ON bookings (cancelled_at);

-- The records written before this migration.
INSERT INTO figure_tallies (day, fact, a, b, c, h, xid, n)
SELECT date(e.at), 'event', e.action, d.kind, '', 0, 0, COUNT(*)
FROM device_events e JOIN devices d ON d.id = e.device_id
GROUP BY date(e.at), e.action, d.kind;

INSERT INTO figure_tallies (day, fact, a, b, c, h, xid, n)
SELECT day, 'status', status, kind, '', 0, 0, SUM(n)
FROM (SELECT date(e.at) AS day, e.status_after AS status, d.kind AS kind, 1 AS n
      FROM device_events e JOIN devices d ON d.id = e.device_id
      WHERE e.status_before IS NULL OR e.status_before <> e.status_after
      UNION ALL
      SELECT date(e.at), e.status_before, d.kind, -1
      FROM device_events e JOIN devices d ON d.id = e.device_id
      WHERE e.status_before IS NOT NULL AND e.status_before <> e.status_after) s
GROUP BY day, status, kind;

INSERT INTO figure_tallies (day, fact, a, b, c, h, xid, n)
SELECT day, 'exit', stage, action, '', h, 0, COUNT(*)
FROM (SELECT date(x.left_at) AS day, x.stage AS stage, x.action AS action,
        CAST(ROUND((julianday(x.left_at) - julianday(x.entered_at)) * 100) AS BIGINT) AS h
      FROM (SELECT e.status_before AS stage, e.action AS action, e.at AS left_at,
              (SELECT MAX(p.at) FROM device_events p WHERE p.device_id = e.device_id
                 AND p.seq < e.seq AND p.status_after = e.status_before
                 AND (p.status_before IS NULL OR p.status_before <> p.status_after))
                AS entered_at
            FROM device_events e WHERE e.status_before IS NOT NULL) x
      WHERE x.entered_at IS NOT NULL) y
GROUP BY day, stage, action, h;

INSERT INTO figure_tallies (day, fact, a, b, c, h, xid, n)
SELECT date(e.at), 'first_release', '', d.kind, '', 0, 0, COUNT(*)
FROM device_events e JOIN devices d ON d.id = e.device_id
WHERE e.action = 'release'
  AND NOT EXISTS (SELECT 1 FROM device_events p WHERE p.device_id = e.device_id
                  AND p.action = 'release' AND p.seq < e.seq)
GROUP BY date(e.at), d.kind;

INSERT INTO figure_tallies (day, fact, a, b, c, h, xid, n)
SELECT date(w.ended_at), 'wipe', w.outcome, w.category, d.kind, 0, 0, COUNT(*)
FROM wipe_records w JOIN devices d ON d.id = w.device_id
GROUP BY date(w.ended_at), w.outcome, w.category, d.kind;

INSERT INTO figure_tallies (day, fact, a, b, c, h, xid, n)
SELECT date(r.created_at), 'refurbishment',
  CASE WHEN r.functional_pass THEN 'pass' ELSE 'fail' END, r.cosmetic_grade, d.kind,
  0, 0, COUNT(*)
FROM refurbishments r JOIN devices d ON d.id = r.device_id
GROUP BY date(r.created_at), CASE WHEN r.functional_pass THEN 'pass' ELSE 'fail' END,
  r.cosmetic_grade, d.kind;
