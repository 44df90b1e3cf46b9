import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreLocation } from '../../../src/store/store-location.js';
import { storePackageView } from '../../../src/store/store-package-view.js';

const a = '/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-pkg';
const b = '/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-other';
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'genledger-view-'));
  const at = (logical: string) => join(root, logical);
  mkdirSync(at(`${b}/bin`), { recursive: true });
  writeFileSync(at(`${b}/bin/tool`), 'tool');
  mkdirSync(at(`${a}/share/doc`), { recursive: true });
  symlinkSync(`${b}/bin`, at(`${a}/bin`));
  symlinkSync('../bin/tool', at(`${a}/share/tool`));
  symlinkSync(`${b}/nowhere`, at(`${a}/share/dangling`));
  symlinkSync('loop', at(`${a}/share/loop`));
  writeFileSync(at(`${a}/share/doc/README`), 'readme');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the store package view of a chroot store', () => {
  it('resolves absolute links in the logical namespace, never on the host', () => {
    const view = storePackageView(StoreLocation.of('/nix/store', root));
    expect(view.kind(`${a}/bin`)).toBe('directory');
    expect(view.realPath(`${a}/bin`)).toBe(`${b}/bin`);
    expect(view.list(`${a}/bin`)).toEqual(['tool']);
    expect(view.kind(`${a}/bin/tool`)).toBe('file');
  });

  it('follows relative links through linked directories', () => {
    const view = storePackageView(StoreLocation.of('/nix/store', root));
    expect(view.realPath(`${a}/share/tool`)).toBe(`${b}/bin/tool`);
    expect(view.kind(`${a}/share/tool`)).toBe('file');
    expect(view.readText(`${a}/share/tool`)).toBe('tool');
  });

  it('reports dangling and looping links as missing, and lists entries with their kinds', () => {
    const view = storePackageView(StoreLocation.of('/nix/store', root));
    expect([...view.list(`${a}/share`)].sort()).toEqual(['dangling', 'doc', 'loop', 'tool']);
    expect(view.kind(`${a}/share/dangling`)).toBe('missing');
    expect(view.kind(`${a}/share/loop`)).toBe('missing');
    expect(view.kind(`${a}/share/doc`)).toBe('directory');
    expect(view.readText(`${a}/share/nothing`)).toBeNull();
  });
});
