import { describe, expect, it } from 'vitest';
import { parseNixCacheInfo, renderNixCacheInfo } from '../../../src/store/binary-cache/nix-cache-info.js';
import { StoreDir } from '../../../src/store/store-path.js';

const storeDir = new StoreDir('/nix/store');

describe('nix-cache-info', () => {
  it('is written as exactly one StoreDir line', () => {
    expect(renderNixCacheInfo(storeDir)).toBe('StoreDir: /nix/store\n');
  });

  it('reads StoreDir, WantMassQuery and Priority, trimming values and skipping other lines', () => {
    const text = 'StoreDir:   /nix/store  \nno colon here\nWantMassQuery: 1\nPriority: 40\nOther: x\n';
    expect(parseNixCacheInfo(text, storeDir, 'c')).toEqual({ storeDir: '/nix/store', wantMassQuery: true, priority: 40 });
  });

  it('accepts a file without StoreDir, as Nix does', () => {
    expect(parseNixCacheInfo('', storeDir, 'c')).toEqual({ storeDir: '/nix/store' });
  });

  it('refuses a cache made for another store directory', () => {
    expect(() => parseNixCacheInfo('StoreDir: /gnu/store\n', storeDir, 'file:///c')).toThrow(
      expect.objectContaining({
        code: 'GENLEDGER_CACHE_STORE_DIR_MISMATCH',
        exitCode: 1,
        message: "binary cache file:///c is for store '/gnu/store', not '/nix/store'",
      }),
    );
  });
});
