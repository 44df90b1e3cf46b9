/**
 * The fixture home of the report tests: generations 1-4 of `profile` by
 * alice and bob (hello 1.0 out, 1.1 in), a hostile reason on the first, a
 * rollback to 3, generation 1 deleted; and a system switched to gen-a,
 * rebooted, then set to boot gen-b, so booted/running and current differ.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { RunResult, TestHome } from './test-world.js';

const catalog = 'examples/catalog.json';
const next = 'examples/catalog-next.json';
export const hostileReason = '<script>alert(1)</script> & "quotes"';

export async function reportHome(): Promise<TestHome> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  const home = makeTestHome({ env });
  env.GENLEDGER_ACTIVATION_LOG = join(home.dir, 'activation.log');
  const ok = async (run: Promise<RunResult>) => {
    const result = await run;
    expect(result.code, result.stderr).toBe(0);
  };
  await ok(home.run('profile', 'install', `${catalog}#hello`, '-m', hostileReason));
  await ok(home.runAs({ user: 'bob', uid: 1001 }, 'profile', 'install', `${catalog}#greet`, '-m', 'bob needs greet'));
  await ok(home.run('profile', 'remove', 'hello'));
  await ok(home.run('profile', 'install', `${next}#hello`));
  await ok(home.run('profile', 'rollback', '-m', 'new hello breaks things'));
  await ok(home.run('profile', 'delete-generations', '1'));
  await ok(home.run('system', 'switch', 'examples/system/gen-a', '-m', 'first system'));
  await ok(home.run('system', 'reboot'));
  await ok(home.run('system', 'boot', 'examples/system/gen-b'));
  return home;
}
