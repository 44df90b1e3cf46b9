/**
 * `--store`: the backend a home uses is chosen on first use and recorded;
 * a later command naming another one is refused, one that names none uses
 * the record, and values genledger cannot use are usage errors. None of
 * this needs Nix: the refusals come before any store is opened.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

let home: TestHome;

beforeEach(() => {
  home = makeTestHome();
});

afterEach(() => home.cleanup());

describe('choosing the store backend', () => {
  it('refuses a value it cannot use, with exit 2, before touching the home', async () => {
    for (const value of ['nixx', 'nix:', 's3', 'nix:ssh://host']) {
      const result = await home.run('--store', value, '--json', 'profile', 'list');
      expect(result.code).toBe(2);
      expect(JSON.parse(result.stderr).error.code).toBe('GENLEDGER_BAD_STORE');
    }
  });

  it('refuses --store-dir and --store-root with the Nix backend', async () => {
    const result = await home.run('--store', 'nix', '--store-dir', '/nix/store', '--json', 'profile', 'list');
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stderr).error).toMatchObject({ code: 'GENLEDGER_BAD_OPTION' });
  });

  it('records the embedded store on first use, accepts --store embedded later and refuses --store nix', async () => {
    // Only a command that changes something creates the home (a read command there is refused GENLEDGER_NO_HOME).
    expect((await home.run('profile', 'install', 'examples/catalog.json#hello')).code).toBe(0);
    expect((await home.run('--store', 'embedded', 'profile', 'list')).code).toBe(0);
    const refused = await home.run('--store', 'nix', '--json', 'profile', 'list');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr).error).toMatchObject({ code: 'GENLEDGER_STORE_MISMATCH', message: expect.stringContaining('not the store Nix chooses') as unknown });
  });
});
