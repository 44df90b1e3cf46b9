/**
 * The table checker on real tables: classic-level writes them in a temp
 * dir (compressible values, so snappy blocks; enough keys for many data
 * blocks), then single bytes are flipped in a data block, the index block
 * (written just before the footer) and the footer.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestTables } from '../../../src/ledger/manifest-tables.js';
import { tableProblem } from '../../../src/ledger/table-check.js';

let dir: string;
let tables: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'table-check-'));
  const db = new ClassicLevel<string, string>(join(dir, 'db'), { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  await db.open();
  for (let round = 0; round < 3; round++) {
    await db.batch(Array.from({ length: 2000 }, (_, n) => ({ type: 'put' as const, key: `key-${String(n).padStart(6, '0')}`, value: `value ${n} round ${round} `.repeat(8) })));
    await db.compactRange('key-', 'key-~');
  }
  await db.close();
  tables = readdirSync(join(dir, 'db')).filter((name) => name.endsWith('.ldb')).map((name) => join(dir, 'db', name));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function flipped(path: string, at: (length: number) => number): Buffer {
  const bytes = readFileSync(path);
  const offset = at(bytes.length);
  bytes[offset] = (bytes[offset] as number) ^ 0x20;
  return bytes;
}

describe('tableProblem', () => {
  it('passes every sound table classic-level wrote', () => {
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) expect(tableProblem(readFileSync(table)), table).toBeNull();
  });

  it('finds a byte flipped in a data block', () => {
    for (const table of tables) {
      for (const at of [0, 7, 100]) expect(tableProblem(flipped(table, () => at)), `${table} at ${at}`).toMatch(/block at \d+ fails its checksum/);
    }
  });

  it('finds a byte flipped in the index block, just before the footer', () => {
    for (const table of tables) expect(tableProblem(flipped(table, (length) => length - 48 - 5 - 6)), table).toMatch(/index block at \d+ fails its checksum/);
  });

  it('finds a byte flipped in the index block trailer', () => {
    for (const table of tables) expect(tableProblem(flipped(table, (length) => length - 48 - 2)), table).toMatch(/index block at \d+ fails its checksum/);
  });

  it('finds a byte flipped anywhere in the footer', () => {
    for (const table of tables) {
      const length = statSync(table).size;
      for (let at = length - 48; at < length; at++) {
        const bytes = flipped(table, () => at);
        // The footer's padding after the two handles is not read, as LevelDB does not read it.
        const problem = tableProblem(bytes);
        if (at >= length - 8) expect(problem, `${table} at ${at}`).toMatch(/no table magic number/);
        else if (at <= length - 48 + 3) expect(problem, `${table} at ${at}`).not.toBeNull();
      }
    }
  });

  it('finds a table cut short or empty', () => {
    const bytes = readFileSync(tables[0] as string);
    expect(tableProblem(bytes.subarray(0, bytes.length - 1))).not.toBeNull();
    expect(tableProblem(bytes.subarray(0, 20))).toMatch(/shorter than a table footer/);
    expect(tableProblem(new Uint8Array(0))).toMatch(/shorter than a table footer/);
  });

  it('finds every seeded single-byte flip outside the footer padding', () => {
    const bytes = readFileSync(tables[0] as string);
    let found = 0;
    for (let at = 0; at < bytes.length - 48; at += 211) {
      const copy = Buffer.from(bytes);
      copy[at] = (copy[at] as number) ^ 0x01;
      if (tableProblem(copy) !== null) found++;
      else throw new Error(`a flip at ${at} was not found`);
    }
    expect(found).toBeGreaterThan(5);
  });
});

describe('manifestTables', () => {
  it('names exactly the tables the database holds, with their sizes', () => {
    const db = join(dir, 'db');
    const manifest = readFileSync(join(db, readFileSync(join(db, 'CURRENT'), 'latin1').trim()));
    const live = manifestTables(manifest);
    expect(live).not.toBeNull();
    const expected = new Map(tables.map((path) => [Number.parseInt(path.slice(path.lastIndexOf('/') + 1), 10), statSync(path).size]));
    expect(live).toEqual(expected);
  });

  it('reads a manifest cut short in its last record as ending before it, and a flipped record as not parsing', () => {
    const db = join(dir, 'db');
    const manifest = readFileSync(join(db, readFileSync(join(db, 'CURRENT'), 'latin1').trim()));
    expect(manifestTables(manifest.subarray(0, manifest.length - 3))).not.toBeNull();
    const copy = Buffer.from(manifest);
    copy[10] = (copy[10] as number) ^ 0xff;
    expect(manifestTables(copy)).toBeNull();
  });
});
