// genledger-only: the PostgreSQL fleet ledger at the scale, 1,000
// hosts and 1,000,000 events, in a throwaway cluster of its own. One
// host's real home (the 100,000-event log) is pushed through the real
// `fleet push` (the push figure); the other 999 hosts get a prefix of one
// of its profile streams each (the same events, verbatim and hash-chained,
// kept under another origin host, as two hosts with the same history
// would push them), copied inside the database, and `fleet init` folds
// every stream into the query tables. The query figures are PostgreSQL's
// own duration of the query's statement (from its server log), the
// command's whole run beside it.
import { LOG_EVENTS_PER_PROFILE, LOG_PROFILES } from '../fixtures/index.mjs';
import { genledger, homeAt, restoreHome } from '../lib/genledger.mjs';
import { removeTree } from '../lib/scratch.mjs';
import { postgresMissing, startCluster } from '../lib/postgres.mjs';

const HOSTS = 1000;
const TOTAL_EVENTS = 1_000_000;
const QUERY_RUNS = 5;
const PULL_RUNS = 3;
const PULLED = 'per-user/u000/profile';

let loaded;

/** The cluster with the fleet loaded, once for all fleet cases; stopped when the bench exits. */
function fleetLoaded(fixtures, context) {
  loaded ??= (async () => {
    // A home in use: projected, as its commands leave it.
    const template = await fixtures.glProjectedLog();
    const cluster = await startCluster();
    process.once('exit', () => cluster.stop());
    await cluster.sql('CREATE DATABASE fleet');
    const db = cluster.url.replace(/\/postgres$/, '/fleet');
    const home = restoreHome(template);
    // A copy's LevelDB tables are new files, which the first open checks once (src/ledger/database-tables.ts);
    // in a home in use its commands have checked them already.
    genledger(home, context.env, 'log', '-n', '1');
    genledger(home, context.env, 'fleet', 'init', '--db', db, '--quiet');
    await cluster.logDurations();
    const pushing = process.hrtime.bigint();
    const pushed = JSON.parse(genledger(home, context.env, 'fleet', 'push', '--to', db, '--host', 'host-0000', '--json')).pushed;
    const pushMs = Number(process.hrtime.bigint() - pushing) / 1e6;
    // The batches as PostgreSQL saw them: from the start of the first insert to the end of the last.
    const inserts = cluster.statements(/^\s*INSERT INTO fleet_events \(host, stream, version/);
    const batchesMs = inserts.length === 0 ? NaN : (inserts.at(-1).endedAt - (inserts[0].endedAt - inserts[0].durationMs));
    // The push's share of folding the query tables: the same refresh again, alone.
    await clusterSql(db, "DELETE FROM fleet_streams WHERE host = 'host-0000'");
    const refreshing = process.hrtime.bigint();
    genledger(home, context.env, 'fleet', 'init', '--db', db, '--quiet');
    const refreshMs = Number(process.hrtime.bigint() - refreshing) / 1e6;

    // The other hosts: a prefix of one stream each, lengths chosen so the fleet holds TOTAL_EVENTS.
    const perHost = Math.floor((TOTAL_EVENTS - pushed) / (HOSTS - 1));
    const spare = TOTAL_EVENTS - pushed - perHost * (HOSTS - 1);
    const copying = process.hrtime.bigint();
    await clusterSql(db, `INSERT INTO fleet_hosts (host) SELECT 'host-' || lpad(g::text, 4, '0') FROM generate_series(1, ${HOSTS - 1}) g`);
    await clusterSql(
      db,
      `INSERT INTO fleet_events (host, stream, version, id, type, v, at, actor_user, actor_host, prev, hash, sig, envelope)
       SELECT 'host-' || lpad(g::text, 4, '0'), e.stream, e.version, e.id, e.type, e.v, e.at, e.actor_user, e.actor_host, e.prev, e.hash, e.sig, e.envelope
         FROM generate_series(1, ${HOSTS - 1}) g
         JOIN fleet_events e ON e.host = 'host-0000'
          AND e.stream = 'per-user/u' || lpad(((g - 1) % ${LOG_PROFILES})::text, 3, '0') || '/profile'
          AND e.version <= ${perHost} + CASE WHEN g <= ${spare} THEN 1 ELSE 0 END
        ORDER BY g, e.version`,
    );
    const copyMs = Number(process.hrtime.bigint() - copying) / 1e6;
    const rebuilding = process.hrtime.bigint();
    genledger(home, context.env, 'fleet', 'init', '--db', db, '--quiet');
    const rebuildMs = Number(process.hrtime.bigint() - rebuilding) / 1e6;
    const [{ events, hosts }] = await clusterSql(db, 'SELECT count(*)::int AS events, count(DISTINCT host)::int AS hosts FROM fleet_events');
    if (events !== TOTAL_EVENTS || hosts !== HOSTS) throw new Error(`bench: the fleet holds ${events} events of ${hosts} hosts`);
    await clusterSql(db, 'VACUUM ANALYZE');
    return { cluster, db, home, pushed, pushMs, batchesMs, refreshMs, copyMs, rebuildMs };
  })();
  return loaded;
}

/** SQL on the fleet database (the cluster's own helper speaks to `postgres`). */
async function clusterSql(db, text) {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/** Runs a fleet query command QUERY_RUNS times; each sample: the statement's time in PostgreSQL, and the command's wall time. */
async function timeQuery(fleet, context, args, statement) {
  const samples = [];
  for (let index = 0; index < QUERY_RUNS; index++) {
    const before = fleet.cluster.durations(statement).length;
    const start = process.hrtime.bigint();
    const out = genledger(fleet.home, context.env, 'fleet', ...args, '--db', fleet.db, '--json');
    const commandMs = Number(process.hrtime.bigint() - start) / 1e6;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const logged = fleet.cluster.durations(statement).slice(before);
    if (logged.length !== 1) throw new Error(`bench: found ${logged.length} logged statements for fleet ${args.join(' ')}`);
    samples.push({ wallMs: logged[0], cpuMs: null, commandMs, resultBytes: out.length });
  }
  return samples;
}

const unavailable = () => postgresMissing;

export const fleetCases = [
  {
    id: 'fleet-push',
    title: `fleet push of one host's ${(LOG_PROFILES * LOG_EVENTS_PER_PROFILE).toLocaleString('en')} events into an empty fleet, end to end (target ≥ 20,000 events/s in its batches: see the line above)`,
    unavailable,
    async measure(fixtures, context) {
      const fleet = await fleetLoaded(fixtures, context);
      const batchRate = fleet.pushed / (fleet.batchesMs / 1000);
      process.stderr.write(`\nbench: fleet-push ${fleet.pushed} events in ${fleet.pushMs.toFixed(0)} ms = ${Math.round(fleet.pushed / (fleet.pushMs / 1000))} events/s end to end; the batches ${fleet.batchesMs.toFixed(0)} ms = ${Math.round(batchRate)} events/s; refolding the host's query tables ${fleet.refreshMs.toFixed(0)} ms; 899k copied in ${fleet.copyMs.toFixed(0)} ms; query tables of ${HOSTS} hosts rebuilt in ${fleet.rebuildMs.toFixed(0)} ms\n`);
      return [{ wallMs: fleet.pushMs, cpuMs: null, events: fleet.pushed, eventsPerSecond: fleet.pushed / (fleet.pushMs / 1000), batchesMs: fleet.batchesMs, batchEventsPerSecond: batchRate, refreshMs: fleet.refreshMs, copyMs: fleet.copyMs, rebuildMs: fleet.rebuildMs }];
    },
  },
  {
    id: 'fleet-who-runs',
    title: `fleet who-runs NAME on ${HOSTS.toLocaleString('en')} hosts / ${TOTAL_EVENTS.toLocaleString('en')} events: PostgreSQL's time for the statement (target < 100 ms)`,
    unavailable,
    async measure(fixtures, context) {
      const fleet = await fleetLoaded(fixtures, context);
      const [{ name }] = await clusterSql(fleet.db, 'SELECT name FROM fleet_current_paths GROUP BY name ORDER BY count(*) DESC LIMIT 1');
      const [{ store_path: path }] = await clusterSql(fleet.db, 'SELECT store_path FROM fleet_current_paths LIMIT 1');
      const byName = await timeQuery(fleet, context, ['who-runs', name], /FROM fleet_current_paths p JOIN fleet_streams s[\s\S]*WHERE p\.name = /);
      const byPath = await timeQuery(fleet, context, ['who-runs', path], /FROM fleet_current_paths p JOIN fleet_streams s[\s\S]*WHERE p\.store_path = /);
      process.stderr.write(`\nbench: fleet-who-runs ${name}: ${byName.map((s) => s.wallMs.toFixed(1)).join(', ')} ms (command ${byName.map((s) => s.commandMs.toFixed(0)).join(', ')} ms, ${byName[0].resultBytes} bytes); by store path: ${byPath.map((s) => s.wallMs.toFixed(1)).join(', ')} ms\n`);
      return byName.map((sample, index) => ({ ...sample, byPathMs: byPath[index].wallMs }));
    },
  },
  {
    id: 'fleet-log-package',
    title: `fleet log --package NAME -n 100 on ${TOTAL_EVENTS.toLocaleString('en')} events: PostgreSQL's time for the statement (target < 100 ms)`,
    unavailable,
    async measure(fixtures, context) {
      const fleet = await fleetLoaded(fixtures, context);
      const [{ name }] = await clusterSql(fleet.db, 'SELECT name FROM fleet_touches GROUP BY name ORDER BY count(*) DESC LIMIT 1');
      const newest = await timeQuery(fleet, context, ['log', '--package', name, '-n', '100'], /FROM fleet_events e WHERE[\s\S]*fleet_touches/);
      const oneHost = await timeQuery(fleet, context, ['log', '--package', name, '--host', 'host-0500'], /FROM fleet_events e WHERE[\s\S]*fleet_touches/);
      process.stderr.write(`\nbench: fleet-log-package ${name} -n 100: ${newest.map((s) => s.wallMs.toFixed(1)).join(', ')} ms; --host host-0500 (all its events of ${name}): ${oneHost.map((s) => s.wallMs.toFixed(1)).join(', ')} ms (${oneHost[0].resultBytes} bytes)\n`);
      return newest.map((sample, index) => ({ ...sample, oneHostMs: oneHost[index].wallMs }));
    },
  },
  {
    id: 'fleet-pull',
    title: `fleet pull of one host's profile (${LOG_EVENTS_PER_PROFILE.toLocaleString('en')} events) from ${TOTAL_EVENTS.toLocaleString('en')} into a fresh home, against import of the same profile's bundle`,
    unavailable,
    async measure(fixtures, context) {
      const fleet = await fleetLoaded(fixtures, context);
      const bundle = context.runDir('fleet-pull-bundle');
      genledger(fleet.home, context.env, 'export', '--to', bundle, '-p', PULLED, '--with-store', '--quiet');
      // Interleaved: each run imports the bundle, then pulls the same profile, each into a fresh home.
      const timed = (name, args) => {
        const home = homeAt(context.runDir(name));
        const start = process.hrtime.bigint();
        const out = JSON.parse(genledger(home, context.env, ...args, '--json'));
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        removeTree(home.dir);
        return { ms, generation: out.streams[0]?.generation };
      };
      const samples = [];
      for (let index = 0; index < PULL_RUNS; index++) {
        const imported = timed('fleet-pull-import', ['import', bundle]);
        const pulled = timed('fleet-pull-home', ['fleet', 'pull', '--host', 'host-0000', '-p', PULLED, '--from', fleet.db, '--substituter', `file://${bundle}/cache`]);
        if (pulled.generation !== imported.generation) throw new Error(`bench: fleet pull gave generation ${pulled.generation}, import ${imported.generation}`);
        samples.push({ wallMs: pulled.ms, cpuMs: null, importMs: imported.ms, ratio: pulled.ms / imported.ms });
      }
      removeTree(bundle);
      process.stderr.write(`\nbench: fleet-pull ${PULLED}: ${samples.map((s) => s.wallMs.toFixed(0)).join(', ')} ms; import of its bundle ${samples.map((s) => s.importMs.toFixed(0)).join(', ')} ms; pull/import ${samples.map((s) => s.ratio.toFixed(2)).join(', ')}\n`);
      return samples;
    },
  },
];
