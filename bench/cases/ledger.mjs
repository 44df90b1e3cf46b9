// genledger-only figures (Nix keeps no event log): appending to the ledger,
// and reading a log of 100,000 events spread over 100 profiles of 1,000
// generations each, through the library and through replay, log --package
// and blame. Replaying and the first package query take a minute or
// seconds, so they are single runs.
import { join } from 'node:path';
import { LOG_EVENTS_PER_PROFILE, LOG_PROFILES } from '../fixtures/index.mjs';
import { hasCommand } from '../lib/genledger.mjs';
import { openLedger } from '../lib/ledger-api.mjs';
import { removeTree } from '../lib/scratch.mjs';
import { genledgerSide } from './sides.mjs';

const LOG_EVENTS = LOG_PROFILES * LOG_EVENTS_PER_PROFILE;
const SINGLE_APPENDS = 500;

async function timed(work) {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await work();
  const used = process.cpuUsage(cpu);
  return { wallMs: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (used.user + used.system) / 1000 };
}

/** One event per append, awaited; `committed`: with the home's head file written (fsync'd) after each, as every CLI append does. */
function singleAppends(id, title, committed) {
  return {
    id,
    title,
    async measure(_fixtures, context) {
      const dir = context.runDir(id);
      const { database, ledger } = await openLedger(join(dir, 'db'), committed ? dir : undefined);
      const actor = { user: 'bench', uid: 0, host: 'bench' };
      const sample = await timed(async () => {
        for (let version = 0; version < SINGLE_APPENDS; version++) {
          const event = { id: `e${version}`, type: 'BenchNoted', v: 1, at: new Date(Date.UTC(2026, 0, 1) + version).toISOString(), actor, data: { n: version } };
          await ledger.append('bench', version, [event]);
        }
      });
      await database.close();
      removeTree(dir);
      return [{ ...sample, events: SINGLE_APPENDS }];
    },
  };
}

export const ledgerCases = [
  {
    id: 'append-batched',
    title: `write the ${LOG_EVENTS.toLocaleString('en')}-event log, 1,000 events per append (library)`,
    async measure(fixtures) {
      const { appended } = await fixtures.glEventLog();
      return [{ wallMs: appended.appendMs, cpuMs: null, events: appended.appended }];
    },
  },
  singleAppends('append-single', `append ${SINGLE_APPENDS} events one by one, each awaited (fsync'd) (library)`, false),
  singleAppends('append-single-committed', `append ${SINGLE_APPENDS} events one by one, each committed to the head file as the CLI does (library)`, true),
  {
    id: 'read-log',
    title: `read the whole ${LOG_EVENTS.toLocaleString('en')}-event log, hashes checked (library)`,
    async measure(fixtures) {
      const { saved } = await fixtures.glEventLog();
      const { database, ledger } = await openLedger(join(saved, 'home', 'db'));
      let count = 0;
      const sample = await timed(async () => {
        for await (const _record of ledger.readLog()) count++;
      });
      await database.close();
      if (count !== LOG_EVENTS) throw new Error(`bench: read ${count} events, expected ${LOG_EVENTS}`);
      return [{ ...sample, events: LOG_EVENTS }];
    },
  },
  {
    id: 'replay',
    title: `replay ${LOG_EVENTS.toLocaleString('en')} events (${LOG_PROFILES} profiles of ${LOG_EVENTS_PER_PROFILE - 1} generations) into a fresh home`,
    perEvent: LOG_EVENTS,
    runs: 1,
    warmups: 0,
    async sides(fixtures, context) {
      // The projected home is what log and blame read: kept rather than projected a second time.
      return [genledgerSide(context, await fixtures.glEventLog(), ['--quiet', 'replay'], (home) => fixtures.keepProjectedLog(home))];
    },
  },
  {
    id: 'log-package-first',
    title: `first log --package after the ${LOG_EVENTS.toLocaleString('en')} appends (the package index catches up)`,
    perEvent: LOG_EVENTS,
    runs: 1,
    warmups: 0,
    async sides(fixtures, context) {
      return [genledgerSide(context, await fixtures.glProjectedLog(), ['log', '--package', 'smallaa'])];
    },
  },
  {
    id: 'log-package',
    title: `log --package on ${LOG_EVENTS.toLocaleString('en')} events (${LOG_PROFILES} matches), package index current`,
    async sides(fixtures, context) {
      return [genledgerSide(context, await fixtures.glIndexedLog(), ['log', '--package', 'smallaa'], undefined, { openedBefore: true })];
    },
  },
  {
    id: 'first-open',
    title: 'the same log --package on a copy of that database opened for the first time: its LevelDB tables checked (CRC32C of every block) and remembered',
    async sides(fixtures, context) {
      return [genledgerSide(context, await fixtures.glIndexedLog(), ['log', '--package', 'smallaa'])];
    },
  },
  {
    id: 'blame',
    title: `blame in one of those profiles (${LOG_EVENTS_PER_PROFILE.toLocaleString('en')} events), package index current`,
    unavailable: (context) => (hasCommand(context.env, 'blame') ? null : '`genledger blame` is not in this build'),
    async sides(fixtures, context) {
      return [genledgerSide(context, await fixtures.glIndexedLog(), ['-p', 'per-user/u050/profile', 'blame', 'smallab'], undefined, { openedBefore: true })];
    },
  },
];
