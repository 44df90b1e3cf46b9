/**
 * Who may change what, and who may read it: a user changes only their own
 * `per-user/<name>/…` profiles (root any), the state home is private to its
 * owner (0700), and a generated secret key is readable by its owner only
 * (0600) and never overwritten.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogPath, inProcessCli, ok, spawnCli } from './cli-runners.js';
import type { InProcessCli } from './cli-runners.js';
import { readLog } from './home-inspection.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';

let scratch: Scratch;
let home: string;
let alice: InProcessCli;
let bob: InProcessCli;
let root: InProcessCli;

beforeEach(() => {
  scratch = makeScratch('permissions');
  home = join(scratch.dir, 'home');
  alice = inProcessCli(home, { actor: { user: 'alice', uid: 1000 } });
  bob = inProcessCli(home, { actor: { user: 'bob', uid: 1001 } });
  root = inProcessCli(home, { actor: { user: 'root', uid: 0 } });
});
afterEach(() => scratch.cleanup());

const mode = (path: string) => statSync(path).mode & 0o777;

describe("another user's per-user profile", () => {
  it('cannot be changed by alice (exit 1, GENLEDGER_NOT_YOUR_PROFILE), by any mutating command; bob and root can', async () => {
    const bobs = 'per-user/bob/profile';
    await ok(bob, '-p', bobs, 'profile', 'install', `${catalogPath}#hello`, `${catalogPath}#greet`);
    const logBefore = await readLog(alice);
    for (const argv of [
      ['profile', 'install', `${catalogPath}#figlet-lite`],
      ['profile', 'remove', 'hello'],
      ['profile', 'rollback'],
      ['profile', 'upgrade', '--all'],
      ['profile', 'set-priority', 'hello', '3'],
      ['profile', 'delete-generations', 'old'],
      ['profile', 'wipe-history'],
      ['profile', 'switch-generation', '0'],
    ]) {
      const result = await alice('--json', '-p', bobs, ...argv);
      expect(result.code, `${argv.join(' ')}: ${result.stderr}`).toBe(1);
      expect(JSON.parse(result.stderr).error.code).toBe('GENLEDGER_NOT_YOUR_PROFILE');
    }
    expect(await readLog(alice), "alice's refusals recorded nothing").toEqual(logBefore);
    const list = await alice('-p', bobs, 'profile', 'list', '--json');
    expect(list.code, 'reading is not changing').toBe(0);

    await ok(bob, '-p', bobs, 'profile', 'remove', 'greet');
    await ok(root, '-p', bobs, 'profile', 'rollback');
    await ok(alice, '-p', 'per-user/alice/profile', 'profile', 'install', `${catalogPath}#hello`);
  });

  it('of a deeper name (per-user/bob/sub/profile) is bob’s too', async () => {
    const result = await alice('-p', 'per-user/bob/sub/profile', 'profile', 'install', `${catalogPath}#hello`);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/belongs to user 'bob'/);
  });

  // A regression test: the owner check once matched /^per-user\/([^/]+)\// only, and so let alice create the
  // profile `per-user/bob` itself; its link then sat where bob's directory of profiles belongs, and bob's next
  // `-p per-user/bob/profile` wrote its links through that link, into alice's profile store path.
  it('per-user/bob (the directory of bob’s profiles, as a profile name) is bob’s as well', async () => {
    const result = await alice('-p', 'per-user/bob', 'profile', 'install', `${catalogPath}#hello`);
    expect(result.code).toBe(1);
  });
});

describe('files with secrets', () => {
  it('the state home is created 0700 (also where its parents are missing)', async () => {
    const nested = join(scratch.dir, 'state', 'deeper', 'home');
    await ok(inProcessCli(nested), 'profile', 'install', `${catalogPath}#hello`);
    expect(mode(nested).toString(8)).toBe('700');
    const spawned = join(scratch.dir, 'spawned-home');
    expect((await spawnCli(spawned, ['profile', 'install', `${catalogPath}#hello`])).status).toBe(0);
    expect(mode(spawned).toString(8)).toBe('700');
  });

  it('key generate writes the secret key 0600 (the public key 0644) and never overwrites it', async () => {
    const keys = join(scratch.dir, 'keys');
    const generated = await spawnCli(home, ['key', 'generate', 'host.example.org-1', '--dir', keys]);
    expect(generated.status, generated.stderr).toBe(0);
    const secret = join(keys, 'host.example.org-1.sec');
    expect(mode(secret).toString(8)).toBe('600');
    expect(mode(join(keys, 'host.example.org-1.pub')).toString(8)).toBe('644');
    expect(mode(keys).toString(8)).toBe('700');
    const before = readFileSync(secret, 'utf8');
    const again = await spawnCli(home, ['key', 'generate', 'host.example.org-1', '--dir', keys]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    expect(readFileSync(secret, 'utf8')).toBe(before);
  });
});
