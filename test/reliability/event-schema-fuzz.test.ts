/**
 * A seeded fuzzer for the events a bundle carries. Each case takes a real
 * exported stream, changes its events (a value anywhere in an event swapped
 * for a valid-looking or hostile one, a field dropped or added, a type
 * changed, events duplicated, dropped or reordered, times and signatures
 * bent) and reseals it, so hashes and chains hold and only the event gate
 * can judge it.
 *
 * Thousands of cases go through the gate itself (imported-event-check.ts):
 * it either refuses with a GenledgerError or the stream then folds and its
 * links plan without throwing. A few hundred go through the real CLI,
 * in-process: never exit 70, and a refusal leaves the home byte for byte
 * as it was. Both are bounded in time.
 */
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIncomingStream } from '../../src/app/bundle/imported-event-check.js';
import { foldProfile } from '../../src/app/profile/profile-stream.js';
import { isGenledgerError } from '../../src/errors.js';
import { profileLinks } from '../../src/projection/profile-layout.js';
import { StoreDir } from '../../src/store/store-path.js';
import { readBundleEvents, writeResealed } from './bundle-editing.js';
import type { EventRecord } from './bundle-editing.js';
import { catalogPath, inProcessCli, ok } from './cli-runners.js';
import type { InProcessCli } from './cli-runners.js';
import { readLog, snapshotTree } from './home-inspection.js';
import { int, pick, seededRandom } from './seeded-random.js';
import type { Random } from './seeded-random.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';

const GATE_CASES = 4000;
const CLI_CASES = 200;
const BUDGET_MS = 60_000;

const hostileValues: readonly unknown[] = [
  -5, -1, 0, 1, 2, 3, 99, 1.5, 2 ** 53, Number.MAX_SAFE_INTEGER, '2', '', 'x', null, true, false, [], {}, [1], ['a'],
  '/nix/store/00000000000000000000000000000000-x', '/etc/passwd', '../../etc', '9999-01-01T00:00:00.000Z', '1969-12-31T23:59:59.000Z',
  'manifest.nix', 'rollback', 'switch', [[1, 2]], [[2, 1]], [{ op: 'add', path: '/elements/-', value: {} }], [{ op: 'remove', path: '/elements/0' }],
  { profilePath: '/nix/store/00000000000000000000000000000000-p', manifestVersion: 2 }, { from: null, to: 1, since: null },
];
const types = ['ProfileCreated', 'PackagesInstalled', 'PackagesRemoved', 'GenerationSwitched', 'GenerationsDeleted', 'HistoryWiped', 'GenerationImported', 'ProfileImported', 'ExternalChangeObserved', 'SystemProfileSet', 'Rebooted', 'SystemGenerationsDeleted', 'SystemChangeObserved'];

/** Every [container, key] inside `value`, so a mutation can reach any depth. */
function slots(value: unknown, found: Array<[Record<string, unknown> | unknown[], string | number]> = []): Array<[Record<string, unknown> | unknown[], string | number]> {
  if (Array.isArray(value)) value.forEach((item, index) => (found.push([value, index]), slots(item, found)));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) (found.push([value as Record<string, unknown>, key]), slots(item, found));
  return found;
}

function mutate(random: Random, pristine: readonly EventRecord[]): EventRecord[] {
  let events = structuredClone(pristine) as EventRecord[];
  const rounds = 1 + int(random, 3);
  for (let round = 0; round < rounds; round++) {
    const event = pick(random, events);
    const roll = int(random, 12);
    const reachable = slots(event.data);
    if (roll < 6 && reachable.length > 0) {
      const [container, key] = pick(random, reachable);
      (container as Record<string | number, unknown>)[key] = structuredClone(pick(random, hostileValues));
    } else if (roll === 6 && reachable.length > 0) {
      const [container, key] = pick(random, reachable);
      if (Array.isArray(container)) container.splice(Number(key), 1);
      else delete container[key as string];
    } else if (roll === 7) event.type = pick(random, types);
    else if (roll === 8) events = [...events, { ...structuredClone(event), id: `fuzz-${int(random, 1e9)}` }];
    else if (roll === 9) events = events.length > 1 ? events.filter((other) => other !== event) : events;
    else if (roll === 10) event.at = pick(random, ['9999-01-01T00:00:00.000Z', '1969-12-31T23:59:59.000Z', '2000-01-01T00:00:00.000Z', event.at]);
    else event.sig = pick(random, ['k:abc', 'k:', ':' + 'A'.repeat(86) + '==', `k:${'A'.repeat(86)}==`, `k:${'A'.repeat(43)}=`]);
  }
  return events;
}

describe('event gate fuzzing', () => {
  let scratch: Scratch;
  let pristineDir: string;
  let pristineEvents: EventRecord[];
  const storeArgs = (dir: string) => ['--store-dir', '/nix/store', '--store-root', join(dir, 'root')];

  beforeAll(async () => {
    scratch = makeScratch('event-fuzz');
    const exporterDir = join(scratch.dir, 'exporter');
    const exporter = inProcessCli(join(exporterDir, 'home'), { globalArgs: storeArgs(exporterDir) });
    await ok(exporter, 'profile', 'install', `${catalogPath}#hello`, `${catalogPath}#greet`);
    await ok(exporter, 'profile', 'remove', 'greet');
    await ok(exporter, 'profile', 'rollback');
    await ok(exporter, 'profile', 'install', `${catalogPath}#figlet-lite`);
    await ok(exporter, 'profile', 'delete-generations', '1');
    pristineDir = join(scratch.dir, 'pristine');
    await ok(exporter, 'export', '--to', pristineDir, '--with-store');
    pristineEvents = readBundleEvents(pristineDir, 'profile');
  });
  afterAll(() => scratch?.cleanup());

  it(`the gate refuses with a GenledgerError or lets through only streams that fold and plan (${GATE_CASES} cases)`, () => {
    const seed = 20_260_612;
    const random = seededRandom(seed);
    const storeDir = new StoreDir('/nix/store');
    const location = { stream: 'profile', link: '/p/profile', dir: '/p', base: 'profile' };
    const started = Date.now();
    let refusedCount = 0;
    for (let index = 0; index < GATE_CASES && Date.now() - started < BUDGET_MS; index++) {
      const events = mutate(random, pristineEvents).map((event, position) => ({ ...event, version: position + 1 }));
      const what = `seed ${seed} case ${index}`;
      try {
        checkIncomingStream('profile', events, events.length, { now: new Date(), storeDir });
      } catch (error) {
        expect(isGenledgerError(error), `${what}: ${String(error)}`).toBe(true);
        if (isGenledgerError(error)) expect(error.code, what).toBe('GENLEDGER_INVALID_EVENT');
        refusedCount++;
        continue;
      }
      expect(() => profileLinks(foldProfile(events), location), what).not.toThrow();
    }
    expect(refusedCount).toBeGreaterThan(GATE_CASES / 4);
  });

  it(`the CLI never crashes on forged bundles and writes nothing when it refuses (up to ${CLI_CASES} cases)`, async () => {
    const seed = 4_242;
    const random = seededRandom(seed);
    const started = Date.now();
    let serial = 0;
    const freshImporter = (): { dir: string; cli: InProcessCli } => {
      const dir = join(scratch.dir, `importer-${serial++}`);
      return { dir, cli: inProcessCli(join(dir, 'home'), { globalArgs: storeArgs(dir) }) };
    };
    const stateOf = async (target: { dir: string; cli: InProcessCli }) => ({
      log: await readLog(target.cli),
      files: snapshotTree(target.dir, (path) => path === 'home/db' || path.startsWith('home/db/')),
    });
    let importer = freshImporter();
    let before = await stateOf(importer);
    const outcomes: Record<number, number> = {};
    let cases = 0;
    for (; cases < CLI_CASES && Date.now() - started < BUDGET_MS; cases++) {
      const bundle = join(scratch.dir, 'case');
      rmSync(bundle, { recursive: true, force: true });
      cpSync(pristineDir, bundle, { recursive: true });
      writeResealed(bundle, 'profile', mutate(random, pristineEvents));
      const what = `seed ${seed} case ${cases}`;
      const result = await importer.cli('import', bundle);
      outcomes[result.code] = (outcomes[result.code] ?? 0) + 1;
      expect(result.code, `${what}: ${result.stderr}`).not.toBe(70);
      expect(result.stderr, what).not.toMatch(/internal error|\n\s+at /);
      if (result.code !== 0) {
        expect(await stateOf(importer), `${what}: the home is unchanged`).toEqual(before);
        continue;
      }
      // Accepted: the home must be sound, every command working on it.
      const verified = await importer.cli('verify', '--json');
      expect(verified.code, `${what}: ${verified.stdout}${verified.stderr}`).toBe(0);
      expect((await importer.cli('profile', 'list-generations')).code, what).toBe(0);
      importer = freshImporter();
      before = await stateOf(importer);
    }
    expect(cases, JSON.stringify(outcomes)).toBeGreaterThanOrEqual(50);
    expect(outcomes[4] ?? 0, JSON.stringify(outcomes)).toBeGreaterThan(0);
  });
});
