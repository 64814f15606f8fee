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

CREATE FUNCTION figure_tally(t_day DATE, t_fact TEXT, t_a TEXT, t_b TEXT, t_c TEXT, t_h BIGINT,
                             t_n BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO figure_tallies (day, fact, a, b, c, h, xid, n)
    VALUES (t_day, t_fact, t_a, t_b, t_c, t_h, txid_current(), t_n)
    ON CONFLICT (fact, day, a, b, c, h, xid) DO UPDATE SET n = figure_tallies.n + EXCLUDED.n;
$$;

CREATE FUNCTION device_events_tally() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    k TEXT;
    entered TIMESTAMP;
BEGIN
    SELECT d.kind INTO k FROM devices d WHERE d.id = NEW.device_id;
    PERFORM figure_tally(CAST(NEW.at AS DATE), 'event', NEW.action, k, '', 0, 1);
    IF NEW.status_before IS NULL OR NEW.status_before <> NEW.status_after THEN
        PERFORM figure_tally(CAST(NEW.at AS DATE), 'status', NEW.status_after, k, '', 0, 1);
        IF NEW.status_before IS NOT NULL THEN
            PERFORM figure_tally(CAST(NEW.at AS DATE), 'status', NEW.status_before, k, '', 0, -1);
        END IF;
    END IF;
    IF NEW.status_before IS NOT NULL THEN
        SELECT MAX(p.at) INTO entered FROM device_events p
        WHERE p.device_id = NEW.device_id AND p.seq < NEW.seq
          AND p.status_after = NEW.status_before
          AND (p.status_before IS NULL OR p.status_before <> p.status_after);
        IF entered IS NOT NULL THEN
            PERFORM figure_tally(CAST(NEW.at AS DATE), 'exit', NEW.status_before, NEW.action, '',
                CAST(ROUND((EXTRACT(EPOCH FROM (NEW.at - entered)) / 86400.0) * 100) AS BIGINT),
                1);
        END IF;
    END IF;
    IF NEW.action = 'release' AND NOT EXISTS (
        SELECT 1 FROM device_events p
        WHERE p.device_id = NEW.device_id AND p.action = 'release' AND p.seq < NEW.seq) THEN
        PERFORM figure_tally(CAST(NEW.at AS DATE), 'first_release', '', k, '', 0, 1);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER device_events_tally AFTER INSERT ON device_events
FOR EACH ROW EXECUTE FUNCTION device_events_tally();

CREATE FUNCTION wipe_records_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM figure_tally(CAST(NEW.ended_at AS DATE), 'wipe', NEW.outcome, NEW.category,
        (SELECT d.kind FROM devices d WHERE d.id = NEW.device_id), 0, 1);
    RETURN NULL;
END;
$$;

CREATE TRIGGER wipe_records_tally AFTER INSERT ON wipe_records
FOR EACH ROW EXECUTE FUNCTION wipe_records_tally();

CREATE FUNCTION refurbishments_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM figure_tally(CAST(NEW.created_at AS DATE), 'refurbishment',
        CASE WHEN NEW.functional_pass THEN 'pass' ELSE 'fail' END, NEW.cosmetic_grade,
        (SELECT d.kind FROM devices d WHERE d.id = NEW.device_id), 0, 1);
    RETURN NULL;
END;
$$;

CREATE TRIGGER refurbishments_tally AFTER INSERT ON refurbishments
FOR EACH ROW EXECUTE FUNCTION refurbishments_tally();

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
