/**
 * `genledger import DIR` on a few hundred damaged bundles: seeded byte
 * flips, dropped, repeated and swapped lines, changed hashes, store paths
 * pointing outside the store, deleted files, in every file of a bundle
 * (header, event stream, narinfos, NARs). Each import either succeeds,
 * and then the home holds exactly the bundle's events and sound store
 * paths, or exits 1, 2 or 4 with one line (and a hint), leaving the home
 * byte for byte as it was.
 *
 * Both homes use the chroot store `--store-dir /nix/store --store-root
 * DIR`, so store paths are the same in both. The importing home already
 * has a profile of its own, so a partial import would show.
 */
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogPath, inProcessCli, ok } from './cli-runners.js';
import type { InProcessCli } from './cli-runners.js';
import { namesBelow, snapshotTree } from './home-inspection.js';
import type { LoggedEvent } from './home-inspection.js';
import { dropLine, mutateBytes, mutateText } from './mutations.js';
import { int, pick, seededRandom } from './seeded-random.js';
import type { Random } from './seeded-random.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';

const CASES = 240;
const NIX32 = '0123456789abcdfghijklmnpqrsvwxyz';

interface Importer {
  readonly dir: string;
  readonly cli: InProcessCli;
}

function chrootHome(dir: string): Importer {
  return { dir, cli: inProcessCli(join(dir, 'home'), { globalArgs: ['--store-dir', '/nix/store', '--store-root', join(dir, 'root')] }) };
}

/** Everything of a home a failed import must leave alone: files (LevelDB's own aside) and store, and the log. */
async function stateOf(importer: Importer): Promise<{ files: Map<string, string>; log: string }> {
  const log = (await ok(importer.cli, 'log', '--json')).stdout;
  return { files: snapshotTree(importer.dir, (path) => path === 'home/db' || path.startsWith('home/db/')), log };
}

/** Replaces one hash-looking run (hex sha256 or nix32) in `text` with another of the same alphabet. */
function changeHash(random: Random, text: string): string {
  const matches = [...text.matchAll(/[0-9a-f]{64}|[0-9abcdfghijklmnpqrsvwxyz]{32,52}/g)];
  if (matches.length === 0) return mutateText(random, text);
  const match = pick(random, matches);
  const alphabet = /^[0-9a-f]+$/.test(match[0]) ? '0123456789abcdef' : NIX32;
  const replacement = Array.from(match[0], () => alphabet[int(random, alphabet.length)]).join('');
  return `${text.slice(0, match.index)}${replacement}${text.slice((match.index ?? 0) + match[0].length)}`;
}

function swapLines(random: Random, text: string): string {
  const lines = text.split('\n');
  const a = int(random, lines.length);
  const b = int(random, lines.length);
  [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
  return lines.join('\n');
}

const outsidePaths = ['/etc/passwd', '/nix/store/../../etc/passwd', '/nix/storeX/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-x', '../../../../etc/passwd', '/proc/self/environ'];

/** Damages one file of the bundle at `dir`; returns a description for failure messages. */
function damage(random: Random, dir: string): string {
  const files = namesBelow(dir).filter((name) => !readdirSafe(join(dir, name)));
  const weighted = files.flatMap((name) => (name.endsWith('.ndjson') ? [name, name, name] : name === 'bundle.json' ? [name, name] : [name]));
  const file = pick(random, weighted);
  const path = join(dir, file);
  const roll = int(random, 20);
  if (roll === 0) {
    rmSync(path);
    return `deleted ${file}`;
  }
  if (file.endsWith('.nar')) {
    writeFileSync(path, mutateBytes(random, readFileSync(path)));
    return `mutated bytes of ${file}`;
  }
  const text = readFileSync(path, 'utf8');
  const [kind, changed] =
    roll < 6 ? ['changed a hash in', changeHash(random, text)]
    : roll < 9 ? ['dropped a line of', dropLine(random, text)]
    : roll < 11 ? ['swapped lines of', swapLines(random, text)]
    : roll < 13 ? ['pointed a store path outside the store in', text.replace(/\/nix\/store\/[0-9a-z]{32}-[^"\s]+/, pick(random, outsidePaths))]
    : ['mutated', mutateText(random, text)];
  writeFileSync(path, changed);
  return `${kind} ${file}`;
}

function readdirSafe(path: string): boolean {
  try {
    readdirSync(path);
    return true;
  } catch {
    return false;
  }
}

describe('importing damaged bundles', () => {
  let scratch: Scratch;
  let pristine: string;
  let bundleEvents: string[];
  let bundlePaths: string[];
  let soundInfos: unknown;
  let importer: Importer;
  let generation = 0;

  async function freshImporter(): Promise<Importer> {
    const made = chrootHome(join(scratch.dir, `importer-${generation++}`));
    await ok(made.cli, '-p', 'mine', 'profile', 'install', `${catalogPath}#figlet-lite`);
    return made;
  }

  beforeAll(async () => {
    scratch = makeScratch('bundle-fuzz');
    const exporter = chrootHome(join(scratch.dir, 'exporter'));
    await ok(exporter.cli, 'profile', 'install', `${catalogPath}#hello`, `${catalogPath}#greet`);
    await ok(exporter.cli, 'profile', 'remove', 'greet');
    pristine = join(scratch.dir, 'pristine');
    await ok(exporter.cli, 'export', '--to', pristine, '--with-store');
    bundleEvents = readFileSync(join(pristine, 'streams', 'profile.ndjson'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { id: string }).id);
    bundlePaths = (JSON.parse(readFileSync(join(pristine, 'bundle.json'), 'utf8')) as { store: { paths: string[] } }).store.paths;
    importer = await freshImporter();
  });
  afterAll(() => scratch?.cleanup());

  it('imports the undamaged bundle', async () => {
    const target = await freshImporter();
    await ok(target.cli, 'import', pristine);
    const log = JSON.parse((await ok(target.cli, 'log', '--json')).stdout) as LoggedEvent[];
    expect(log.filter((event) => event.stream === 'profile').map((event) => event.id)).toEqual(bundleEvents);
    soundInfos = await storeFacts(target);
    expect(soundInfos).toHaveLength(bundlePaths.length);
  });

  /** What must not differ between a sound import and the undamaged one: every path's hash, size and references. */
  async function storeFacts(target: Importer): Promise<unknown> {
    const infos = JSON.parse((await ok(target.cli, 'store', 'info', '--json', ...bundlePaths)).stdout) as Array<Record<string, unknown>>;
    return infos.map(({ path, narHash, narSize, references }) => ({ path, narHash, narSize, references }));
  }

  it(`refuses each of ${CASES} damaged bundles with exit 1, 2 or 4 and one line, leaving the home as it was, or imports it soundly`, async () => {
    const seed = 8_675_309;
    const random = seededRandom(seed);
    const outcomes: Record<string, number> = {};
    let before = await stateOf(importer);
    for (let index = 0; index < CASES; index++) {
      const bundle = join(scratch.dir, 'case');
      rmSync(bundle, { recursive: true, force: true });
      cpSync(pristine, bundle, { recursive: true });
      const what = `seed ${seed} case ${index}: ${damage(random, bundle)}`;

      const result = await importer.cli('import', bundle);
      expect(result.stderr, what).not.toMatch(/internal error|\n\s+at /);
      expect([0, 1, 2, 4], `${what}: exit ${result.code}: ${result.stderr}`).toContain(result.code);
      outcomes[result.code] = (outcomes[result.code] ?? 0) + 1;
      if (result.code !== 0) {
        const [fact, ...rest] = result.stderr.trimEnd().split('\n');
        expect(fact, what).toMatch(/^genledger: /);
        expect(rest.every((line) => line.startsWith('hint: ')), `${what}: ${result.stderr}`).toBe(true);
        expect(await stateOf(importer), `${what}: the home is unchanged`).toEqual(before);
        continue;
      }
      // A damage the importer may ignore (a file it does not need, a field outside the hashes): the import must be sound.
      const log = JSON.parse((await ok(importer.cli, 'log', '--json')).stdout) as LoggedEvent[];
      expect(log.filter((event) => event.stream === 'profile').map((event) => event.id), what).toEqual(bundleEvents);
      expect((await importer.cli('verify')).code, what).toBe(0);
      expect((await importer.cli('store', 'verify', '--contents')).code, what).toBe(0);
      expect(await storeFacts(importer), what).toEqual(soundInfos);
      importer = await freshImporter();
      before = await stateOf(importer);
    }
    expect(outcomes[0] ?? 0, JSON.stringify(outcomes)).toBeLessThan(CASES / 2);
  });
});
