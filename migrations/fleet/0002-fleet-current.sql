-- Fleet schema 2: what the queries read, derived from fleet_events alone
-- (src/app/fleet/fleet-projection.ts folds each stream with the domain's own
-- code); `fleet push` and `fleet init` bring it up to date, `fleet verify`
-- compares it with a fresh fold.
--
-- Tables, indexes, and the reads they serve:
--   fleet_streams (host, stream) PK        `fleet hosts`: each stream's head (version, last event),
--                                          and for a profile its current generation, since when,
--                                          and its elements (`fleet drift`); a stream whose
--                                          version lags its events is refolded
--   fleet_current_paths_name (name, version)
--                                          `fleet who-runs NAME[@VERSION]`: the store paths of
--                                          current generations, by DrvName name and version
--   fleet_current_paths_path (store_path)  `fleet who-runs STORE-PATH`
--   fleet_touches_name (name, host, stream, version)
--                                          `fleet log --package`, `fleet blame`: the events that
--                                          touched an element name
--   fleet_events_at (at)                   `fleet log --since/--until`
--   fleet_events_user (actor_user)         `fleet log --user`
CREATE TABLE fleet_streams (
  host text NOT NULL REFERENCES fleet_hosts (host),
  stream text NOT NULL,
  version integer NOT NULL,
  last_at timestamptz NOT NULL,
  last_type text NOT NULL,
  profile boolean NOT NULL,
  generation integer,
  since timestamptz,
  elements jsonb,
  PRIMARY KEY (host, stream)
);

CREATE TABLE fleet_current_paths (
  host text NOT NULL,
  stream text NOT NULL,
  element text NOT NULL,
  name text NOT NULL,
  version text NOT NULL,
  store_path text NOT NULL,
  FOREIGN KEY (host, stream) REFERENCES fleet_streams (host, stream) ON DELETE CASCADE
);
CREATE INDEX fleet_current_paths_name ON fleet_current_paths (name, version);
CREATE INDEX fleet_current_paths_path ON fleet_current_paths (store_path);
CREATE INDEX fleet_current_paths_stream ON fleet_current_paths (host, stream);

CREATE TABLE fleet_touches (
  host text NOT NULL,
  stream text NOT NULL,
  version integer NOT NULL,
  name text NOT NULL,
  change text NOT NULL,
  generation integer NOT NULL,
  FOREIGN KEY (host, stream) REFERENCES fleet_streams (host, stream) ON DELETE CASCADE
);
CREATE INDEX fleet_touches_name ON fleet_touches (name, host, stream, version);
CREATE INDEX fleet_touches_stream ON fleet_touches (host, stream, version);

CREATE INDEX fleet_events_at ON fleet_events (at);
CREATE INDEX fleet_events_user ON fleet_events (actor_user);
