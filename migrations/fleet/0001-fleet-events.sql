-- Fleet schema 1: events kept per origin host, the hosts that pushed them,
-- and the guard that keeps every (host, stream) a gap-free hash chain.
--
-- Indexes, and the reads they serve:
--   fleet_events_pkey (seq)                 one event by its place in the fleet
--   fleet_events_place (host, stream, version), UNIQUE
--                                           a pusher's resume point (DISTINCT ON per stream),
--                                           the prev-link guard's lookup, verify's walk of a chain
--   fleet_events_order (txid, seq)          the global order readers page by (fleet-order-reader.ts)
-- Every index slows the push (the issue asks for >= 20,000 events/s); the queries that come later
-- add the ones they need in their own migrations, each naming the reads its indexes serve.
CREATE TABLE fleet_hosts (
  host text PRIMARY KEY,
  first_push timestamptz NOT NULL DEFAULT now(),
  last_push timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE fleet_events (
  seq bigserial PRIMARY KEY,
  -- The writing transaction: readers page by (txid, seq) below the oldest running transaction,
  -- so an event committed late by a concurrent pusher is never skipped.
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  host text NOT NULL REFERENCES fleet_hosts (host),
  stream text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  id text NOT NULL,
  type text NOT NULL,
  v integer NOT NULL,
  at timestamptz NOT NULL,
  actor_user text NOT NULL,
  actor_host text NOT NULL,
  prev text,
  hash text NOT NULL,
  sig text,
  -- The event exactly as the origin's ledger stores it: canonical JSON with hash and sig.
  envelope text NOT NULL,
  CONSTRAINT fleet_events_place UNIQUE (host, stream, version),
  CONSTRAINT fleet_events_first_has_no_prev CHECK ((version = 1) = (prev IS NULL))
);

CREATE INDEX fleet_events_order ON fleet_events (txid, seq);

-- Whatever the pusher, an event joins its stream only right after the event its prev names:
-- version N needs version N-1 of the same host and stream, with the hash prev holds.
-- One set-based check per statement (over its transition table), so a multi-row insert
-- may carry a whole run and pays one sort and a lookup per stream, not a lookup per row.
CREATE FUNCTION fleet_events_chain_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  broken record;
BEGIN
  -- Within the statement's rows, each follows the row before it in its stream; only the first
  -- row of each stream's run looks up its predecessor in the table.
  WITH runs AS (
    SELECT host, stream, version, prev,
           lag(version) OVER w AS before_version, lag(hash) OVER w AS before_hash
      FROM inserted
    WINDOW w AS (PARTITION BY host, stream ORDER BY version)
  )
  SELECT r.host, r.stream, r.version INTO broken
    FROM runs r
   WHERE r.version > 1 AND CASE
           WHEN r.before_version IS NOT NULL THEN r.before_version <> r.version - 1 OR r.before_hash IS DISTINCT FROM r.prev
           ELSE NOT EXISTS (SELECT 1 FROM fleet_events p WHERE p.host = r.host AND p.stream = r.stream AND p.version = r.version - 1 AND p.hash = r.prev)
         END
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'event % of stream % from host % does not chain to the event before it', broken.version, broken.stream, broken.host
      USING ERRCODE = 'GL001';
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER fleet_events_chain AFTER INSERT ON fleet_events REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION fleet_events_chain_guard();
