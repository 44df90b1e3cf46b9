import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpPath, hashPath, narBytesOfPath } from '../../../src/store/nar-writer.js';
import { ReferenceScanner, scanForReferences } from '../../../src/store/reference-scanner.js';
import { makeTempDir } from './helpers.js';

const HELLO = '/nix/store/2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt';
const RUN_SH = '/nix/store/hgl6cwhlhzpznapan2nfnls2nyyv4lqb-run.sh';
const PKGA = '/nix/store/vakjq8iw060mbdsy1y8x2ml3l3wx64gr-pkga-1.0';
const candidates = new Map([HELLO, RUN_SH, PKGA].map((path) => [path.slice(11, 43), path]));

function chunked(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}

describe('reference scanning', () => {
  const temp = makeTempDir('refs');
  afterAll(() => temp.cleanup());

  it('finds hash parts in file contents, symlink targets and entry names of a NAR', () => {
    const path = join(temp.path, 'tree');
    mkdirSync(path);
    writeFileSync(join(path, 'script'), `#!/bin/sh\nexec ${RUN_SH}/bin/x\n`);
    symlinkSync(`${HELLO}`, join(path, 'link'));
    writeFileSync(join(path, `vakjq8iw060mbdsy1y8x2ml3l3wx64gr-copy`), '');
    expect(scanForReferences([narBytesOfPath(path)], candidates)).toEqual(new Set([RUN_SH, HELLO, PKGA]));
  });

  it('finds a hash part split across chunk boundaries at every position, with chunks of every size', () => {
    const bytes = Buffer.from(`xx ${'e'.repeat(40)} ${HELLO} tail`);
    for (let size = 1; size <= 40; size++) {
      for (let shift = 0; shift < size; shift++) {
        const chunks = [bytes.subarray(0, shift), ...chunked(bytes.subarray(shift), size)];
        expect(scanForReferences(chunks, candidates)).toEqual(new Set([HELLO]));
      }
    }
  });

  it('does not report a partial hash part, an unknown one or one interrupted by a non-nix32 byte', () => {
    const hash = HELLO.slice(11, 43);
    const text = `${hash.slice(0, 31)} ${hash.slice(0, 16)}-${hash.slice(17)} 00000000000000000000000000000000`;
    expect(scanForReferences([Buffer.from(text)], candidates).size).toBe(0);
  });

  it('finds a hash part inside a longer run of nix32 characters', () => {
    const text = `abc${HELLO.slice(11, 43)}xyz`;
    expect(scanForReferences(chunked(Buffer.from(text), 5), candidates)).toEqual(new Set([HELLO]));
  });

  it('scans the chunks dumpPath hands out while the same pass hashes them', () => {
    const path = join(temp.path, 'one-pass');
    mkdirSync(path);
    writeFileSync(join(path, 'big'), Buffer.concat([Buffer.alloc(70_000, 1), Buffer.from(PKGA), Buffer.alloc(70_000, 2)]));
    const scanner = new ReferenceScanner(candidates);
    const digest = hashPath(path, scanner.feed);
    expect(scanner.found()).toEqual(new Set([PKGA]));
    expect(digest.narHash.equals(hashPath(path).narHash)).toBe(true);
    let chunks = 0;
    dumpPath(path, () => chunks++);
    expect(chunks).toBeGreaterThan(2);
  });
});
