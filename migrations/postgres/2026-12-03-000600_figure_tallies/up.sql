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
-- Each transaction writes its own rows (`xid`, its transaction id), so that writers never
-- wait on each other's tally rows; `figures::fold_tallies` later folds the rows of finished
-- transactions into xid 0. (On SQLite, with its single writer, xid is always 0.)
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
);
CREATE INDEX figure_tallies_unfolded ON figure_tallies (xid) WHERE xid <> 0;

-- Statement-level triggers: the rows one statement inserted, added up, become one tally row
-- per key of the writing transaction (a transaction updating one row many times would leave a
-- long chain of row versions behind).
CREATE FUNCTION device_events_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Scalar subqueries, not joins: each new row looks its device up by its key, whatever
    -- the planner believes of the tables' sizes (a bulk load has no statistics yet).
    WITH kinds AS MATERIALIZED (
        SELECT e.*, (SELECT d.kind FROM devices d WHERE d.id = e.device_id) AS kind
        FROM new_events e)
    INSERT INTO figure_tallies (fact, day, a, b, c, h, xid, n)
    SELECT s.fact, s.day, s.a, s.b, s.c, s.h, txid_current(), SUM(s.n)
    FROM (SELECT CAST('event' AS TEXT) AS fact, CAST(e.at AS DATE) AS day, e.action AS a,
            e.kind AS b, CAST('' AS TEXT) AS c, CAST(0 AS BIGINT) AS h, 1 AS n
          FROM kinds e
          UNION ALL
          SELECT 'status', CAST(e.at AS DATE), e.status_after, e.kind, '', 0, 1
          FROM kinds e
          WHERE e.status_before IS NULL OR e.status_before <> e.status_after
          UNION ALL
          SELECT 'status', CAST(e.at AS DATE), e.status_before, e.kind, '', 0, -1
          FROM kinds e
          WHERE e.status_before IS NOT NULL AND e.status_before <> e.status_after
          UNION ALL
          SELECT 'exit', CAST(x.left_at AS DATE), x.stage, x.action, '',
            CAST(ROUND((EXTRACT(EPOCH FROM (x.left_at - x.entered_at)) / 86400.0) * 100)
              AS BIGINT), 1
          FROM (SELECT e.status_before AS stage, e.action AS action, e.at AS left_at,
                  (SELECT MAX(p.at) FROM device_events p WHERE p.device_id = e.device_id
                     AND p.seq < e.seq AND p.status_after = e.status_before
                     AND (p.status_before IS NULL OR p.status_before <> p.status_after))
                    AS entered_at
                FROM new_events e WHERE e.status_before IS NOT NULL) x
          WHERE x.entered_at IS NOT NULL
          UNION ALL
          SELECT 'first_release', CAST(e.at AS DATE), '', e.kind, '', 0, 1
          FROM kinds e
          WHERE e.action = 'release'
            AND (SELECT 1 FROM device_events p WHERE p.device_id = e.device_id
                 AND p.action = 'release' AND p.seq < e.seq LIMIT 1) IS NULL) s
    GROUP BY s.fact, s.day, s.a, s.b, s.c, s.h
    ORDER BY s.fact, s.day, s.a, s.b, s.c, s.h
    ON CONFLICT (fact, day, a, b, c, h, xid) DO UPDATE SET n = figure_tallies.n + EXCLUDED.n;
    RETURN NULL;
END;
$$;

CREATE TRIGGER device_events_tally AFTER INSERT ON device_events
REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION device_events_tally();

CREATE FUNCTION wipe_records_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO figure_tallies (fact, day, a, b, c, h, xid, n)
    SELECT 'wipe', CAST(w.ended_at AS DATE), w.outcome, w.category, w.kind, 0, txid_current(),
      COUNT(*)
    FROM (SELECT w.*, (SELECT d.kind FROM devices d WHERE d.id = w.device_id) AS kind
          FROM new_wipes w) w
    GROUP BY CAST(w.ended_at AS DATE), w.outcome, w.category, w.kind
    ORDER BY 2, 3, 4, 5
    ON CONFLICT (fact, day, a, b, c, h, xid) DO UPDATE SET n = figure_tallies.n + EXCLUDED.n;
    RETURN NULL;
END;
$$;

CREATE TRIGGER wipe_records_tally AFTER INSERT ON wipe_records
REFERENCING NEW TABLE AS new_wipes FOR EACH STATEMENT EXECUTE FUNCTION wipe_records_tally();

CREATE FUNCTION refurbishments_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO figure_tallies (fact, day, a, b, c, h, xid, n)
    SELECT 'refurbishment', CAST(r.created_at AS DATE),
      CASE WHEN r.functional_pass THEN 'pass' ELSE 'fail' END, r.cosmetic_grade, r.kind, 0,
      txid_current(), COUNT(*)
    FROM (SELECT r.*, (SELECT d.kind FROM devices d WHERE d.id = r.device_id) AS kind
          FROM new_refurbishments r) r
    GROUP BY CAST(r.created_at AS DATE), CASE WHEN r.functional_pass THEN 'pass' ELSE 'fail' END,
      r.cosmetic_grade, r.kind
    ORDER BY 2, 3, 4, 5
    ON CONFLICT (fact, day, a, b, c, h, xid) DO UPDATE SET n = figure_tallies.n + EXCLUDED.n;
    RETURN NULL;
END;
$$;

CREATE TRIGGER refurbishments_tally AFTER INSERT ON refurbishments
REFERENCING NEW TABLE AS new_refurbishments FOR EACH STATEMENT
EXECUTE FUNCTION refurbishments_tally();

-- The other reporting queries read their period through these.
CREATE INDEX devices_created_kind_donation ON devices (created_at, kind, donation_id);
CREATE INDEX loan_checkpoints_held ON loan_checkpoints (held_on);
CREATE INDEX booking_devices_picked_up ON booking_devices (picked_up_at);
CREATE INDEX bookings_created ON bookings (created_at);
CREATE INDEX bookings_confirmed ON bookings (confirmed_at);
CREATE INDEX bookings_cancelled ON bookings (cancelled_at);

-- The records written before this migration.
INSERT INTO figure_tallies (day, fact, a, b, c, h, xid, n)
SELECT CAST(e.at AS DATE), 'event', e.action, d.kind, '', 0, 0, COUNT(*)
FROM device_events e JOIN devices d ON d.id = e.device_id
GROUP BY CAST(e.at AS DATE), e.action, d.kind;

INSERT INTO figure_tallies (day, fact, a, b, c, h, xid, n)
SELECT day, 'status', status, kind, '', 0, 0, SUM(n)
FROM (SELECT CAST(e.at AS DATE) AS day, e.status_after AS status, d.kind AS kind, 1 AS n
      FROM device_events e JOIN devices d ON d.id = e.device_id
      WHERE e.status_before IS NULL OR e.status_before <> e.status_after
      UNION ALL
      SELECT CAST(e.at AS DATE), e.status_before, d.kind, -1
      FROM device_events e JOIN devices d ON d.id = e.device_id
      WHERE e.status_before IS NOT NULL AND e.status_before <> e.status_after) s
GROUP BY day, status, kind;

INSERT INTO figure_tallies (day, fact, a, b, c, h, xid, n)
SELECT day, 'exit', stage, action, '', h, 0, COUNT(*)
FROM (SELECT CAST(x.left_at AS DATE) AS day, x.stage AS stage, x.action AS action,
        CAST(ROUND((EXTRACT(EPOCH FROM (x.left_at - x.entered_at)) / 86400.0) * 100) AS BIGINT)
          AS h
      FROM (SELECT e.status_before AS stage, e.action AS action, e.at AS left_at,
              (SELECT MAX(p.at) FROM device_events p WHERE p.device_id = e.device_id
                 AND p.seq < e.seq AND p.status_after = e.status_before
                 AND (p.status_before IS NULL OR p.status_before <> p.status_after))
                AS entered_at
            FROM device_events e WHERE e.status_before IS NOT NULL) x
      WHERE x.entered_at IS NOT NULL) y
GROUP BY day, stage, action, h;

INSERT INTO figure_tallies (day, fact, a, b, c, h, xid, n)
SELECT CAST(e.at AS DATE), 'first_release', '', d.kind, '', 0, 0, COUNT(*)
FROM device_events e JOIN devices d ON d.id = e.device_id
WHERE e.action = 'release'
  AND NOT EXISTS (SELECT 1 FROM device_events p WHERE p.device_id = e.device_id
                  AND p.action = 'release' AND p.seq < e.seq)
GROUP BY CAST(e.at AS DATE), d.kind;

INSERT INTO figure_tallies (day, fact, a, b, c, h, xid, n)
SELECT CAST(w.ended_at AS DATE), 'wipe', w.outcome, w.category, d.kind, 0, 0, COUNT(*)
FROM wipe_records w JOIN devices d ON d.id = w.device_id
GROUP BY CAST(w.ended_at AS DATE), w.outcome, w.category, d.kind;

INSERT INTO figure_tallies (day, fact, a, b, c, h, xid, n)
SELECT CAST(r.created_at AS DATE), 'refurbishment',
  CASE WHEN r.functional_pass THEN 'pass' ELSE 'fail' END, r.cosmetic_grade, d.kind,
  0, 0, COUNT(*)
FROM refurbishments r JOIN devices d ON d.id = r.device_id
GROUP BY CAST(r.created_at AS DATE), CASE WHEN r.functional_pass THEN 'pass' ELSE 'fail' END,
  r.cosmetic_grade, d.kind;
