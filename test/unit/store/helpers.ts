/**
 * Shared fixtures for the store tests: the spec's fixture trees F1–F5 and
 * P1–P3 (nix-compat.md 13.1) built byte-exactly on disk, a seeded random
 * tree generator, a writer from `NarNode` to disk, and a low-level NAR
 * token builder for hand-made (and hostile) archives.
 */

import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NarNode } from '../../../src/store/nar-node.js';
import { removeTree } from '../../../src/store/remove-tree.js';

export function makeTempDir(prefix: string): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), `genledger-${prefix}-`));
  return { path, cleanup: () => removeTree(path) };
}

export const regular = (contents: string | Uint8Array, executable = false): NarNode => ({
  type: 'regular',
  executable,
  contents: typeof contents === 'string' ? Buffer.from(contents) : contents,
});
export const symlink = (target: string): NarNode => ({ type: 'symlink', target });
export const directory = (entries: Record<string, NarNode> | Map<string, NarNode> = {}): NarNode => ({
  type: 'directory',
  entries: entries instanceof Map ? entries : new Map(Object.entries(entries)),
});

/** Fixtures of spec 13.1, as trees. */
export const FIXTURES: Readonly<Record<string, NarNode>> = {
  'hello.txt': regular('Hello, Nix!\n'),
  'run.sh': regular('#!/bin/sh\necho hi\n', true),
  link: symlink('hello.txt'),
  empty: directory(),
  tree: directory({
    '.hidden': regular('h\n'),
    'B.txt': regular(''),
    'a.txt': regular('a\n'),
    bin: directory({ tool: regular('#!/bin/sh\necho tool\n', true) }),
    empty: directory(),
    lnk: symlink('a.txt'),
    sub: directory({ deeper: directory({ 'eight.dat': regular('12345678') }) }),
  }),
  'pkga-1.0': directory({
    bin: directory({ a: regular('#!/bin/sh\necho a\n', true) }),
    share: directory({ doc: directory({ pkga: directory({ README: regular('pkg a\n') }) }) }),
  }),
  'pkgb-2.0': directory({
    bin: directory({ b: regular('#!/bin/sh\necho b\n', true) }),
    share: directory({ doc: directory({ pkgb: directory({ README: regular('pkg b\n') }) }) }),
  }),
  'pkgc-3.0': directory({ bin: directory({ a: regular('#!/bin/sh\necho c\n', true) }) }),
};

export function fixtureTree(name: string): NarNode {
  const node = FIXTURES[name];
  if (node === undefined) throw new Error(`no fixture ${name}`);
  return node;
}

/** Spec 13.2: NAR size, hex, nix32, SRI and `nix-store --add` path of each fixture. */
export const NAR_VECTORS = [
  ['hello.txt', 128, 'ede9e56f440358fb368f46ba4bca079ac8f68404363461411bfef48d032eb492', '14ml5q1qvx7y3d0n2d1n0j2gdj4s0z54pfj6iwvgnn038ipybsgd', 'sha256-7enlb0QDWPs2j0a6S8oHmsj2hAQ2NGFBG/70jQMutJI=', '/nix/store/2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt'],
  ['run.sh', 168, '5e0accf02cedede5e4119ffa15e79e79a5fb1fb9bc43c3d434f33227a14477a0', '183p8jhjfcpk6kac6hxwp4gzp9brkvkibylz27jfbvgd5kqcq2jy', 'sha256-XgrM8Czt7eXkEZ/6FeeeeaX7H7m8Q8PUNPMyJ6FEd6A=', '/nix/store/hgl6cwhlhzpznapan2nfnls2nyyv4lqb-run.sh'],
  ['link', 128, '01f8a83d7885be14edc68fa4336e81a57a75426c20a0fc9f9bca2c8feaf76387', '11v3yzm8yb6akfgzr810di17aym5h5p3794gqvni9gl5g0ysiy01', 'sha256-AfioPXiFvhTtxo+kM26BpXp1QmwgoPyfm8osj+r3Y4c=', '/nix/store/xbr8y68bgwcs6lin3ncqvanhzg1x10bn-link'],
  ['empty', 96, 'a50a5ab6d992f5598edd92105059fae9acfc192981e08bd88534c2167e92526a', '0sjjj9z1dhilhpc8pq4154czrb79z9cm044jvn75kxcjv6v5l2m5', 'sha256-pQpattmS9VmO3ZIQUFn66az8GSmB4IvYhTTCFn6SUmo=', '/nix/store/9ljssglw74jabzzsqsl3lim4d5jgh4ya-empty'],
  ['tree', 1968, 'fba79ef927d61699ed815dfa47dd11a76f358f2fed1bd3b0aab5069bc46d5adb', '1nssdp29n1mmmaqd66zd5y7kavx727flgyjxh7nrj5nn4zwrx9zv', 'sha256-+6ee+SfWFpntgV36R90Rp281jy/tG9OwqrUGm8RtWts=', '/nix/store/z5iql1z6f8vi875c8f7d4s77qbn65fzm-tree'],
  ['pkga-1.0', 1200, '0f926f38beefafecce9d2956496280f447966f957b78529df3983a78109f0b3e', '0ghbkw87hflqyffm4y3vjmprcizlh1i4jmi9kp7frbzgpqw6z4hg', 'sha256-D5JvOL7vr+zOnSlWSWKA9EeWb5V7eFKd85g6eBCfCz4=', '/nix/store/vakjq8iw060mbdsy1y8x2ml3l3wx64gr-pkga-1.0'],
  ['pkgb-2.0', 1200, 'bb40711b0cfb17fe4eabc34fe609a405764acfc528ff475d2201b67c5d614481', '10a4c5fprdh149flgzr8qp7llxh5lh4ycky3md7gw5zv1hdp2h5v', 'sha256-u0BxGwz7F/5Oq8NP5gmkBXZKz8Uo/0ddIgG2fF1hRIE=', '/nix/store/l5y46b8p9il518p7jhl4nnsh86xlry98-pkgb-2.0'],
  ['pkgc-3.0', 504, 'ec7fc8808d315e2bad4fcc444d4b62b310a5f6d45cb7fcd2c49511dc5c1259da', '1njr29fdq4cmqk9grdswskvaa45kc95lsi6c9ynjnpiiin0chzzc', 'sha256-7H/IgI0xXiutT8xETUtisxCl9tRct/zSxJUR3FwSWdo=', '/nix/store/dx29696sg06lkgqvrj34jmm69pz1i5bj-pkgc-3.0'],
] as const;

/** Writes `node` at `path` with ordinary modes (0644, 0755 for executables and directories). */
export function writeTree(node: NarNode, path: string): void {
  switch (node.type) {
    case 'regular':
      writeFileSync(path, node.contents);
      chmodSync(path, node.executable ? 0o755 : 0o644);
      return;
    case 'symlink':
      symlinkSync(node.target, path);
      return;
    case 'directory':
      mkdirSync(path);
      for (const [name, child] of node.entries) writeTree(child, join(path, name));
      return;
  }
}

/** Deterministic PRNG (mulberry32), so every random test is reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['.hidden', '.a', 'A', 'a', 'B.txt', 'b', 'Z', 'z', '_', '-dash', 'a b', 'é', 'Ω', '~', '10', '9', 'bin', 'lib'];
const SIZES = [0, 1, 7, 8, 9, 15, 16, 17, 100];

/** A random tree of bounded size: files (some executable, 0/7/8/9 bytes…), symlinks, empty and nested directories. */
export function randomTree(random: () => number, depth = 0): NarNode {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const entries = new Map<string, NarNode>();
  const count = Math.floor(random() * (depth === 0 ? 8 : 5));
  for (let i = 0; i < count; i++) {
    const roll = random();
    const name = pick(NAMES);
    if (roll < 0.5) {
      const contents = Buffer.alloc(pick(SIZES));
      for (let j = 0; j < contents.length; j++) contents[j] = Math.floor(random() * 256);
      entries.set(name, regular(contents, random() < 0.3));
    } else if (roll < 0.7) {
      entries.set(name, symlink(pick(['a', '../x', '/nix/store/none', 'dangling/target', '.'])));
    } else if (depth < 3) {
      entries.set(name, randomTree(random, depth + 1));
    }
  }
  return directory(entries);
}

/** NAR tokens for hand-made archives: `str` pads, `u64` is raw. */
export function u64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(value));
  return bytes;
}

export function str(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  return Buffer.concat([u64(bytes.length), bytes, Buffer.alloc((8 - (bytes.length % 8)) % 8)]);
}

export function nar(...parts: (string | Buffer)[]): Buffer {
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? str(part) : part)));
}
