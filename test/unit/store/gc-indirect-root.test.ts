import { describe, expect, it } from 'vitest';
import { indirectRootName } from '../../../src/store/indirect-root.js';

describe('indirectRootName', () => {
  it('is the nix32 of the full SHA-1 of the link path, as in a real gcroots/auto', () => {
    expect(indirectRootName('/tmp/demo/nprof-1-link')).toBe('abcp5gmx2fvh7c3mkk7pn4gk3svj3fz6');
    expect(indirectRootName('/tmp/demo/run1/nprof-1-link')).toBe('sg9c937zv535xvkv8ma7jj0xszxc5n2r');
  });

  it('gives different links different 32-character names', () => {
    const a = indirectRootName('/home/alice/result');
    const b = indirectRootName('/home/alice/result-2');
    expect(a).toHaveLength(32);
    expect(a).not.toBe(b);
  });
});
