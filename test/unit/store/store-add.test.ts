import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryLevel } from 'memory-level';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPath } from '../../../src/store/nar-writer.js';
import { PathInfoDb } from '../../../src/store/path-info-db.js';
import { addToStore } from '../../../src/store/store-add.js';
import { StoreLocation } from '../../../src/store/store-location.js';
import { FIXTURES, NAR_VECTORS, makeTempDir, writeTree } from './helpers.js';

let temp: ReturnType<typeof makeTempDir>;
let location: StoreLocation;
let db: PathInfoDb;
const options = { pid: 4242, now: new Date('2026-01-02T03:04:05Z') };

/** Every entry below `path` (itself included) as raw byte paths. */
function walk(path: Buffer): Buffer[] {
  const found = [path];
  if (lstatSync(path).isDirectory()) {
    for (const name of readdirSync(path, { encoding: 'buffer' })) found.push(...walk(Buffer.concat([path, Buffer.from('/'), name])));
  }
  return found;
}

beforeEach(() => {
  temp = makeTempDir('store-add');
  location = new StoreLocation('/nix/store', join(temp.path, 'root/nix/store'));
  db = new PathInfoDb(new MemoryLevel());
});

afterEach(() => temp.cleanup());

describe('addToStore', () => {
  it('stores a tree in canonical form under the path nix-store --add gives, and registers it', async () => {
    const source = join(temp.path, 'tree');
    writeTree(FIXTURES.tree!, source);
    const [, narSize, hex, , , expectedPath] = NAR_VECTORS[4];

    const info = await addToStore(location, db, source, options);

    expect(info).toMatchObject({ path: expectedPath, narSize, references: [], registrationTime: 1767323045 });
    expect(info.narHash.toHex()).toBe(hex);
    expect(await db.get(expectedPath)).toEqual(info);
    const physical = location.physical(expectedPath);
    expect(hashPath(physical).narHash.toHex()).toBe(hex);
    for (const entry of walk(Buffer.from(physical))) {
      const stat = lstatSync(entry);
      expect(stat.mtimeMs).toBe(1000);
      if (stat.isDirectory()) expect(stat.mode & 0o7777).toBe(0o555);
      if (stat.isFile()) expect(stat.mode & 0o7777).toBe(stat.mode & 0o100 ? 0o555 : 0o444);
    }
    expect(readlinkSync(join(physical, 'lnk'))).toBe('a.txt');
    expect(readdirSync(location.physicalDir)).toEqual([expectedPath.slice('/nix/store/'.length)]);
  });

  it('stores names that are not UTF-8 byte for byte', async () => {
    const source = join(temp.path, 'raw');
    const odd = Buffer.concat([Buffer.from(`${source}/`), Buffer.from([0x64, 0xe9])]);
    mkdirSync(source);
    mkdirSync(odd);
    writeFileSync(Buffer.concat([odd, Buffer.from('/'), Buffer.from([0xff])]), 'raw\n');
    symlinkSync(Buffer.from([0xfe]), Buffer.concat([odd, Buffer.from('/link')]));
    writeFileSync(join(source, 'plain'), 'plain\n');

    const info = await addToStore(location, db, source, options);

    const physical = location.physical(info.path);
    expect(hashPath(physical).narHash.toHex()).toBe(hashPath(source).narHash.toHex());
    const stored = Buffer.concat([Buffer.from(`${physical}/`), Buffer.from([0x64, 0xe9])]);
    expect(readdirSync(stored, { encoding: 'buffer' }).map((name) => name.toString('hex')).sort()).toEqual(['6c696e6b', 'ff']);
    expect(lstatSync(Buffer.concat([stored, Buffer.from('/link')])).mtimeMs).toBe(1000);
  });

  it('leaves nothing in the store when the tree cannot be stored', async () => {
    const source = join(temp.path, 'with-fifo');
    mkdirSync(join(source, 'sub'), { recursive: true });
    writeFileSync(join(source, 'a'), 'a');
    try {
      execFileSync('mkfifo', [join(source, 'sub', 'pipe')]);
    } catch {
      return;
    }
    await expect(addToStore(location, db, source, options)).rejects.toMatchObject({ code: 'GENLEDGER_UNSUPPORTED_FILE_TYPE' });
    expect(readdirSync(location.physicalDir)).toEqual([]);
    expect(await db.all()).toEqual([]);
  });
});
