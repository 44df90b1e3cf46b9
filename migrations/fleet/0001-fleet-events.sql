-- Fleet schema 1: events kept per origin host, the hosts that pushed them,
-- and the guard that keeps every (host, stream) a gap-free hash chain.
--
-- Indexes, and the reads they serve:
--   fleet_events_pkey (seq)                 one event by its place in the fleet
--   fleet_events_place (host, stream, version), UNIQUE
--                                           a pusher's resume point (DISTINCT ON per stream),
--                                           the prev-link guard's lookup, verify's walk of a chain
--   fleet_events_order (txid, seq)          the global order readers page by (fleet-order-reader.ts)
--   fleet_events_id (id)                    an event by its id, across hosts
--   fleet_events_type_at (type, at)         the audit trail of one kind of change over time
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
CREATE INDEX fleet_events_id ON fleet_events (id);
CREATE INDEX fleet_events_type_at ON fleet_events (type, at);

-- Whatever the pusher, an event joins its stream only right after the event its prev names:
-- version N needs version N-1 of the same host and stream, with the hash prev holds.
-- Rows inserted earlier by the same statement are visible here, so one multi-row insert may carry a run.
CREATE FUNCTION fleet_events_chain_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  before_hash text;
BEGIN
  IF NEW.version = 1 THEN
    RETURN NEW;
  END IF;
  SELECT hash INTO before_hash FROM fleet_events WHERE host = NEW.host AND stream = NEW.stream AND version = NEW.version - 1;
  IF before_hash IS NULL OR before_hash IS DISTINCT FROM NEW.prev THEN
    RAISE EXCEPTION 'event % of stream % from host % does not chain to the event before it', NEW.version, NEW.stream, NEW.host
      USING ERRCODE = 'GL001';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER fleet_events_chain BEFORE INSERT ON fleet_events FOR EACH ROW EXECUTE FUNCTION fleet_events_chain_guard();
