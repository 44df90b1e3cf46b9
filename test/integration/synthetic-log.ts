/**
 * A large, plausible profile log written straight through the Ledger API
 * (no CLI, no projection): installs, upgrades and removals of `packages`
 * names by a handful of users, with a rollback every tenth event, in
 * appends of 1000 events. Nothing is on disk but the database, which is
 * all `blame` and `log --package` read; the projection checkpoint is set to
 * the end of the log, as if every event had been projected, so commands do
 * not try to project thousands of generations of made-up store paths.
 */
import { writeCheckpoint } from '../../src/app/session/checkpoint.js';
import { createLevelLedger } from '../../src/ledger/level-ledger.js';
import { openDatabase } from '../../src/ledger/database.js';
import type { NewEvent } from '../../src/ledger/event.js';

const NIX32 = '0123456789abcdfghijklmnpqrsvwxyz';
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin'];
const APPEND = 1000;

export interface SyntheticLog {
  readonly events: number;
  readonly packages: number;
  readonly stream: string;
}

export async function writeSyntheticLog(dbDir: string, log: SyntheticLog): Promise<void> {
  const database = await openDatabase({ dir: dbDir, lockTimeoutMs: 0, holder: { pid: process.pid, user: 'bench', command: 'synthetic-log', since: new Date(0).toISOString() } });
  try {
    const ledger = createLevelLedger(database.db);
    const start = Date.parse('2020-01-01T00:00:00Z');
    let generation = 0;
    let current = 0;
    let batch: NewEvent[] = [];
    for (let i = 1; i <= log.events; i++) {
      const name = `pkg${(i * 7919) % log.packages}`;
      const storePaths = [storePath(i, `${name}-${1 + (i % 97)}.0`)];
      const user = USERS[i % USERS.length] as string;
      const facts = () => {
        generation += 1;
        const base = current;
        current = generation;
        return { generation, created: true, base, patch: [], profilePath: storePath(i, 'profile'), manifestVersion: 2 };
      };
      let type: string;
      let data: unknown;
      const kind = i % 10;
      if (kind === 9 && current > 1) {
        type = 'GenerationSwitched';
        data = { from: current, to: current - 1, how: 'rollback' };
        current -= 1;
      } else if (kind >= 6 && kind <= 7) {
        type = 'PackagesUpgraded';
        data = { ...facts(), upgraded: [{ name, from: { storePaths: [storePath(i - 1, `${name}-0.9`)] }, to: { storePaths } }] };
      } else if (kind === 8) {
        type = 'PackagesRemoved';
        data = { ...facts(), removed: [{ name, active: true, priority: 5, storePaths }] };
      } else {
        type = 'PackagesInstalled';
        data = { ...facts(), installed: [{ name, storePaths, priority: 5, installable: storePaths[0] }] };
      }
      batch.push({ id: `synthetic-${i}`, type, v: type === 'PackagesInstalled' ? 2 : 1, at: new Date(start + i * 60_000).toISOString(), actor: { user, uid: 1000 + (i % USERS.length), host: 'bench' }, command: ['genledger', 'synthetic'], data });
      if (batch.length === APPEND || i === log.events) {
        await ledger.append(log.stream, i - batch.length, batch);
        batch = [];
      }
    }
    await writeCheckpoint(database, await ledger.lastSeq());
  } finally {
    await database.close();
  }
}

function storePath(n: number, name: string): string {
  let hash = '';
  for (let rest = n; hash.length < 32; rest = Math.floor(rest / 32)) hash += NIX32[rest % 32];
  return `/nix/store/${hash}-${name}`;
}
