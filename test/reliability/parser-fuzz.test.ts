/**
 * Every reader of untrusted input is total: for 300 seeded mutations of
 * valid input each, the NAR parser (and restoring into a directory), the
 * narinfo parser, the catalog reader, manifest.json reading and
 * generation specs return or throw a GenledgerError with their documented
 * code and a one-line message, never a TypeError or RangeError. Restoring
 * never writes outside its destination nor follows a symlink out, even for
 * archives made to try. A failing case names its seed and index, so it
 * replays.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCatalog } from '../../src/catalog/catalog.js';
import { parseDeletionSpecs } from '../../src/domain/generation-spec.js';
import { parseManifest } from '../../src/projection/manifest-parse.js';
import { parseNarInfo, renderNarInfo } from '../../src/store/binary-cache/narinfo.js';
import { Hash } from '../../src/store/hash.js';
import { parseNar, validateNar } from '../../src/store/nar-parser.js';
import { restoreNar } from '../../src/store/nar-restore.js';
import { narBytesOfTree } from '../../src/store/nar-tree.js';
import { StoreDir } from '../../src/store/store-path.js';
import { projectRoot } from './cli-runners.js';
import { namesBelow } from './home-inspection.js';
import { mutateBytes, mutateText } from './mutations.js';
import { hostileArchives, randomTree } from './nar-fixtures.js';
import { int, pick, seededRandom } from './seeded-random.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';
import { expectTotal } from './totality.js';

const CASES = 300;
const storeDir = new StoreDir('/nix/store');

describe('the NAR parser and restorer on mutated archives', () => {
  let scratch: Scratch;
  beforeAll(() => {
    scratch = makeScratch('nar-fuzz');
  });
  afterAll(() => scratch.cleanup());

  it(`parse, validate and restore ${CASES} mutated archives: a valid tree inside the destination, or GENLEDGER_NAR_INVALID and nothing written`, () => {
    const seed = 20_261;
    const random = seededRandom(seed);
    let valid = 0;
    for (let index = 0; index < CASES; index++) {
      const what = `seed ${seed} case ${index}`;
      const original = narBytesOfTree(randomTree(random));
      const bytes = random() < 0.1 ? original : mutateBytes(random, original);
      const parsed = expectTotal(() => parseNar(bytes), ['GENLEDGER_NAR_INVALID'], what);
      const validated = expectTotal(() => validateNar(chunks(random, bytes)), ['GENLEDGER_NAR_INVALID'], `${what} (in chunks)`);
      expect(validated.ok, what).toBe(parsed.ok);

      const caseDir = join(scratch.dir, `case-${index}`);
      mkdirSync(join(caseDir, 'victim'), { recursive: true });
      writeFileSync(join(caseDir, 'victim', 'file'), 'untouched\n');
      const destination = join(caseDir, 'out');
      const restored = expectTotal(() => restoreNar(bytes, destination), ['GENLEDGER_NAR_INVALID'], `${what} (restore)`);
      expect(restored.ok, what).toBe(parsed.ok);
      expect(readdirSync(caseDir).sort(), `${what}: nothing beside the destination`).toEqual(restored.ok ? ['out', 'victim'] : ['victim']);
      expect(namesBelow(join(caseDir, 'victim'))).toEqual(['file']);
      expect(readFileSync(join(caseDir, 'victim', 'file'), 'utf8')).toBe('untouched\n');
      if (restored.ok) {
        valid++;
        expectInside(destination, what);
        if (parsed.ok) expect(restored.value.narSize).toBe(parsed.value);
      }
    }
    expect(valid, 'some cases stay valid, so restoring is exercised').toBeGreaterThan(10);
  });

  it('refuses every hand-made escaping archive with GENLEDGER_NAR_INVALID, writing nothing and following no symlink', () => {
    const outside = join(scratch.dir, 'outside');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'victim'), 'untouched\n');
    for (const [name, bytes] of Object.entries(hostileArchives(outside))) {
      const destination = join(scratch.dir, `hostile-${name.replace(/[^a-z0-9]+/gi, '-')}`);
      expectTotal(() => validateNar(bytes), ['GENLEDGER_NAR_INVALID'], name);
      const restored = expectTotal(() => restoreNar(bytes, destination), ['GENLEDGER_NAR_INVALID'], `${name} (restore)`);
      expect(restored.ok, `${name} is refused`).toBe(false);
      expect(existsSync(destination), `${name}: the partial tree is removed`).toBe(false);
      expect(readdirSync(outside), name).toEqual(['victim']);
      expect(readFileSync(join(outside, 'victim'), 'utf8'), name).toBe('untouched\n');
    }
    expect(readdirSync(join(scratch.dir, '..')).filter((entry) => entry === 'escaped')).toEqual([]);
  });

  it('refuses to restore onto an existing destination, even a symlink pointing elsewhere', () => {
    const outside = join(scratch.dir, 'elsewhere');
    mkdirSync(outside, { recursive: true });
    const link = join(scratch.dir, 'planted-link');
    symlinkSync(outside, link);
    const bytes = narBytesOfTree({ type: 'directory', entries: new Map([['file', { type: 'regular', executable: false, contents: Buffer.from('x') }]]) });
    expect(() => restoreNar(bytes, link)).toThrow(expect.objectContaining({ name: 'GenledgerError' }));
    expect(readdirSync(outside)).toEqual([]);
  });
});

function chunks(random: () => number, bytes: Buffer): Buffer[] {
  const result: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = Math.floor(random() * 64);
    result.push(bytes.subarray(at, at + size));
    at += size;
  }
  return result;
}

/** Every entry below `root` is a real directory, file or symlink there; nothing resolves (as a directory) outside. */
function expectInside(root: string, what: string): void {
  const real = realpathSync(root);
  for (const name of namesBelow(root)) {
    const path = join(root, name);
    if (lstatSync(path).isSymbolicLink()) continue;
    expect(realpathSync(path).startsWith(`${real}/`), `${what}: ${name}`).toBe(true);
  }
}

describe('the narinfo parser on mutated files', () => {
  const sample = (random: () => number): string => {
    const hash = (label: string) => Hash.of('sha256', `${label}-${int(random, 1000)}`);
    const path = (name: string) => storeDir.makeSourcePath(hash(name), [], false, name);
    const references = Array.from({ length: int(random, 3) }, (_, index) => path(`dep-${index}`));
    const fileHash = hash('file');
    return renderNarInfo({
      storePath: path('hello-1.0'),
      url: `nar/${fileHash.toNix32()}.nar`,
      compression: pick(random, ['none', 'xz']),
      fileHash,
      fileSize: 1 + int(random, 10_000),
      narHash: hash('nar'),
      narSize: 1 + int(random, 10_000),
      references,
      ...(random() < 0.3 ? { deriver: path('hello-1.0.drv') } : {}),
      sigs: random() < 0.5 ? [`cache.example.org-1:${Buffer.alloc(64, 7).toString('base64')}`] : [],
      ...(random() < 0.3 ? { ca: `fixed:r:${hash('ca').toTyped('nix32')}` } : {}),
    });
  };

  it(`parses or refuses ${CASES} mutated narinfos with GENLEDGER_BAD_NARINFO; what it accepts stays in the store and the cache`, () => {
    const seed = 4_242;
    const random = seededRandom(seed);
    for (let index = 0; index < CASES; index++) {
      const original = sample(random);
      const text = random() < 0.1 ? original : mutateText(random, original);
      const outcome = expectTotal(() => parseNarInfo(text, storeDir, 'fuzz.narinfo'), ['GENLEDGER_BAD_NARINFO'], `seed ${seed} case ${index}`);
      if (!outcome.ok) continue;
      const info = outcome.value;
      for (const path of [info.storePath, ...info.references, ...(info.deriver === undefined ? [] : [info.deriver])]) {
        expect(storeDir.isStorePath(path), `case ${index}: ${path}`).toBe(true);
      }
      expect(info.url.startsWith('/') || info.url.split('/').includes('..'), `case ${index}: ${info.url}`).toBe(false);
      expect(Number.isSafeInteger(info.narSize) && info.narSize > 0).toBe(true);
    }
  });
});

describe('the catalog reader on mutated catalogs', () => {
  it(`reads or refuses ${CASES} mutated catalogs with GENLEDGER_BAD_CATALOG`, () => {
    const seeds = ['catalog.json', 'catalog-next.json'].map((name) => readFileSync(join(projectRoot, 'examples', name), 'utf8'));
    seeds.push(JSON.stringify({ version: 1, packages: { cowsay: { version: '3.7', storePaths: ['/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-cowsay-3.7'], priority: 4 } } }));
    const seed = 777;
    const random = seededRandom(seed);
    for (let index = 0; index < CASES; index++) {
      const text = mutateText(random, pick(random, seeds));
      const outcome = expectTotal(() => parseCatalog(text, '/tmp/fuzz/catalog.json'), ['GENLEDGER_BAD_CATALOG'], `seed ${seed} case ${index}`);
      if (!outcome.ok) continue;
      for (const entry of outcome.value.packages.values()) {
        if ('path' in entry) expect(entry.path.startsWith('/') || entry.path.split('/').includes('..'), `case ${index}: ${entry.path}`).toBe(false);
      }
    }
  });
});

describe('manifest.json reading on mutated manifests', () => {
  const hello = '/nix/store/ph3g7m0ncknzxqfb6f786wpfgh4v16pf-hello-1.0';
  const greet = '/nix/store/4b0skhgwnbsnn8psq4dcy42r4d76ab4y-greet-2.1';
  const url = 'path:/work/examples/catalog.json';
  const locked = `${url}?narHash=sha256-KoYm4EQX3ra196SmMhGEgmNJQD%2fKOyuSEMsaCvENO7Y=`;
  const manifests = [
    `{"elements":[{"active":true,"originalUri":"flake:nixpkgs","attrPath":"legacyPackages.x86_64-linux.hello","uri":"github:NixOS/nixpkgs/abc","storePaths":["${hello}"]}],"version":1}`,
    `{"elements":[{"active":true,"attrPath":"hello","originalUrl":"${url}","storePaths":["${hello}"],"url":"${locked}"},{"active":true,"attrPath":"greet","originalUrl":"${url}","storePaths":["${greet}"],"url":"${locked}"}],"version":2}`,
    `{"elements":[{"active":true,"priority":4,"storePaths":["${hello}"]}],"version":2}`,
    `{"elements":{"greet":{"active":true,"attrPath":"greet","originalUrl":"${url}","outputs":null,"priority":5,"storePaths":["${greet}"],"url":"${locked}"},"hello":{"active":false,"priority":5,"storePaths":["${hello}"]}},"version":3}`,
  ];

  it(`reads or refuses ${CASES} mutated manifests with GENLEDGER_BAD_MANIFEST`, () => {
    for (const text of manifests) expect(expectTotal(() => parseManifest(text, 'seed.json'), [], 'seed').ok).toBe(true);
    const seed = 31_337;
    const random = seededRandom(seed);
    for (let index = 0; index < CASES; index++) {
      const text = mutateText(random, pick(random, manifests));
      const outcome = expectTotal(() => parseManifest(text, '/nix/store/x-profile/manifest.json'), ['GENLEDGER_BAD_MANIFEST'], `seed ${seed} case ${index}`);
      if (outcome.ok) for (const element of outcome.value.elements) expect(element.storePaths.every((path) => path.startsWith('/'))).toBe(true);
    }
  });
});

describe('generation specs on random arguments', () => {
  const tokens = ['old', '+', '+1', '+0', '1', '2', '10', '0', '-1', 'd', '1d', '0d', '30d', '+1d', ' 1', '1 ', '١', '1e3', '0x10', '1.5', '', '999999999999999', '9999999999999999', '99999999999999999999d', 'OLD', '+ 1', '\u0000', 'dd', '3dd'];

  it(`accepts or refuses ${CASES} random argument lists with GENLEDGER_BAD_GENERATION_SPEC (exit 2), and every number it accepts is a whole generation number`, () => {
    const seed = 99;
    const random = seededRandom(seed);
    for (let index = 0; index < CASES; index++) {
      const args = Array.from({ length: int(random, 4) }, () => (random() < 0.8 ? pick(random, tokens) : mutateText(random, pick(random, tokens))));
      const outcome = expectTotal(() => parseDeletionSpecs(args), ['GENLEDGER_BAD_GENERATION_SPEC'], `seed ${seed} case ${index}: ${JSON.stringify(args)}`);
      if (!outcome.ok) continue;
      const spec = outcome.value;
      if (spec.kind === 'numbers') for (const n of spec.numbers) expect(Number.isSafeInteger(n) && n >= 0, JSON.stringify(args)).toBe(true);
      if (spec.kind === 'keep-last') expect(Number.isSafeInteger(spec.count) && spec.count >= 1).toBe(true);
      if (spec.kind === 'older-than') expect(Number.isSafeInteger(spec.days) && spec.days >= 1).toBe(true);
    }
  });
});
