-- Fleet schema 3: each stream's fold as the last push or init left it
-- (src/app/fleet/fleet-projection.ts StreamFold, as JSON text: the build
-- that folded it, the event it stands after, the profile state), so the
-- next push folds only the events it sends. NULL (as after this migration)
-- means: fold the stream again from its first event. Text, not jsonb: it is
-- only ever read whole by genledger, and PostgreSQL need not parse it; lz4
-- because a profile's state repeats its manifests generation after generation.
ALTER TABLE fleet_streams ADD COLUMN fold text COMPRESSION lz4;
