// genledger-only: opening the database of the 100,000-event log and
// reading one stream head, the first thing every command does. In this
// process (the library loaded, a fresh database handle per run), and as a
// process of its own (Node's start-up, loading the library, the open).
import { join } from 'node:path';
import { LOG_EVENTS_PER_PROFILE, LOG_PROFILES } from '../fixtures/index.mjs';
import { library } from '../lib/ledger-api.mjs';
import { repoDir } from '../lib/genledger.mjs';
import { plainSide } from './sides.mjs';

const LOG_EVENTS = LOG_PROFILES * LOG_EVENTS_PER_PROFILE;
const STREAM = 'per-user/u050/profile';
const RUNS = 10;

function checkHead(version) {
  if (version !== LOG_EVENTS_PER_PROFILE) throw new Error(`bench: the head of ${STREAM} is at version ${version}, not ${LOG_EVENTS_PER_PROFILE}`);
}

export const ledgerOpenCases = [
  {
    id: 'open-head',
    title: `open the ${LOG_EVENTS.toLocaleString('en')}-event database and read a stream head (library, in process)`,
    async measure(fixtures) {
      const { saved } = await fixtures.glEventLog();
      const { createLevelLedger, openDatabase } = await library();
      const holder = { pid: process.pid, user: 'bench', command: 'bench/run.mjs', since: new Date().toISOString() };
      const samples = [];
      for (let run = 0; run < RUNS; run++) {
        const start = process.hrtime.bigint();
        const database = await openDatabase({ dir: join(saved, 'home', 'db'), lockTimeoutMs: 10_000, holder });
        const head = await createLevelLedger(database.db).head(STREAM);
        await database.close();
        samples.push({ wallMs: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: null });
        checkHead(head?.version);
      }
      return samples;
    },
  },
  {
    id: 'open-head-process',
    title: 'the same in a process of its own (Node start-up and loading the library included)',
    async sides(fixtures, context) {
      const { saved } = await fixtures.glEventLog();
      const spec = { file: process.execPath, args: [join(repoDir, 'bench', 'lib', 'open-head.mjs'), join(saved, 'home', 'db'), STREAM], env: context.env };
      return [plainSide(spec, { check: (result) => checkHead(Number(result.stdout.trim())) })];
    },
  },
];
