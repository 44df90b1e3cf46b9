/**
 * `genledger system … --flake FLAKEREF#HOST` and `-I nixos-config=FILE`
 * with `--store nix` on a Nix store the test owns: Nix evaluates and builds
 * the fixture's NixOS configurations (test/nix/nixos-fixtures.ts), the
 * store path is the one `nix build` / `nix-build '<nixpkgs/nixos>' -A
 * system` gives, the activation script runs on the test's root, and the
 * events record what was built and from what. Refusals: a PATH with
 * --flake (usage), --flake on the embedded store. dry-activate from
 * NIX_PATH. A collection of the test's store while a switch is paused
 * between its build and its generation link (GENLEDGER_FAULT=after-build:
 * pause) leaves the configuration alive, rooted by the command's temporary
 * result link, which is gone once the command ends.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestHome } from '../integration/test-world.js';
import type { TestHome } from '../integration/test-world.js';
import { nixForFlakes } from '../nix/flake-fixtures.js';
import { makeNixosWorld } from '../nix/nixos-fixtures.js';
import { spawnCli } from '../reliability/cli-runners.js';
import type { NixosWorld } from '../nix/nixos-fixtures.js';

if (!nixForFlakes.available) console.warn(`compat: skipping NixOS configurations built by real Nix: ${nixForFlakes.reason}`);

interface LoggedEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

const toplevel = (host: string) => `nixosConfigurations."${host}".config.system.build.toplevel`;

describe.skipIf(!nixForFlakes.available)('NixOS configurations built through Nix by genledger system', () => {
  let nixos: NixosWorld;
  let flake: string;
  let configuration: string;
  let root: string;
  let home: TestHome;
  const env: Record<string, string> = {};
  const run = (...args: string[]) => home.run('--store', `nix:${nixos.flakes.target.cliStoreUri}`, ...withRoot(args));
  /** Every system command that changes the profile works on the test's root, never on this machine's /. */
  const withRoot = (args: string[]): string[] => (['switch', 'boot', 'test'].some((verb) => args.includes(verb)) ? [...args, '--root', root] : args);
  const nixBuild = (installable: string): string => (JSON.parse(nixos.flakes.nix(['build', '--no-link', '--json', installable])) as Array<{ outputs: { out: string } }>)[0]?.outputs.out as string;
  const events = async (type: string): Promise<LoggedEvent[]> => (JSON.parse((await run('log', '--json')).stdout) as LoggedEvent[]).filter((event) => event.type === type);
  const activations = (): string[] => readFileSync(join(root, 'activation.log'), 'utf8').split('\n').filter(Boolean);

  beforeAll(() => {
    nixos = makeNixosWorld();
    root = nixos.makeRoot('machine');
    flake = nixos.writeNixosFlake('machines', {
      alpha: { nixosVersion: '23.11.20231201.abcdef', kernelVersion: '6.1.63', revision: 'rev-1', root, specialisations: { small: { kernelVersion: '6.6.1' } } },
      beta: { nixosVersion: '24.05.20240601.fedcba', kernelVersion: '6.6.30', root, activationExitCode: 3 },
    });
    configuration = nixos.writeConfiguration('configuration', 'gamma', { nixosVersion: '22.11.20221130.012345', kernelVersion: '5.15.80', root });
    Object.assign(env, nixos.flakes.env, { NIX_PATH: nixos.nixPath, LOCALE_ARCHIVE: '/run/current-system/sw/lib/locale/locale-archive' });
    home = makeTestHome({ env, actor: { host: 'alpha' } });
  });
  afterAll(() => {
    home?.cleanup();
    nixos?.cleanup();
  });

  it('switches to FLAKEREF#HOST as nix build builds it, and records the flake, the revision, the NixOS and kernel versions', async () => {
    const result = await run('system', 'switch', '--flake', `${flake}#alpha`);
    expect(result.stderr).not.toContain('hint');
    expect(result.code).toBe(0);
    const storePath = nixBuild(`${flake}#${toplevel('alpha')}`);
    const [set] = await events('SystemProfileSet');
    expect(set?.data.systemPath).toBe(storePath);
    expect(set?.data.build).toEqual({
      flake: { originalUrl: `path:${flake}`, lockedUrl: expect.stringMatching(new RegExp(`^path:${flake}\\?lastModified=\\d+&narHash=sha256-`)) as unknown, attribute: toplevel('alpha') },
      nixPath: null,
      configurationRevision: 'rev-1',
      nixosVersion: '23.11.20231201.abcdef',
      kernelVersion: '6.1.63',
      specialisations: ['small'],
      storePath,
    });
    expect(readlinkSync(join(root, 'run', 'current-system'))).toBe(storePath);
    expect(activations()).toEqual([expect.stringMatching(new RegExp(`^toplevel=${storePath} argv=switch .*LOCALE_ARCHIVE=/run/current-system`)) as unknown]);
    expect(readFileSync(join(root, 'boot', 'loader', 'entries', 'nixos-generation-1.conf'), 'utf8')).toContain('NixOS 23.11.20231201.abcdef');
  });

  it('takes HOST from the host name when the flake reference names none, as nixos-rebuild does', async () => {
    const result = await run('--json', 'system', 'build', '--flake', flake);
    expect(result.code).toBe(0);
    const built = JSON.parse(result.stdout) as { systemPath: string; build: { flake: { attribute: string } } };
    expect(built.systemPath).toBe(nixBuild(`${flake}#${toplevel('alpha')}`));
    expect(built.build.flake.attribute).toBe(toplevel('alpha'));
    const other = await home.runAs({ host: 'beta' }, '--store', `nix:${nixos.flakes.target.cliStoreUri}`, '--json', 'system', 'build', '--flake', `${flake}#`);
    expect((JSON.parse(other.stdout) as { systemPath: string }).systemPath).toBe(nixBuild(`${flake}#${toplevel('beta')}`));
  });

  it('records a test activation of a flake on its SystemActivated, with a null revision when the configuration sets none', async () => {
    const result = await run('--json', 'system', 'test', '--flake', `${flake}#beta`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GENLEDGER_ACTIVATION_FAILED');
    const activated = (await events('SystemActivated')).at(-1);
    expect(activated?.data.action).toBe('test');
    expect(activated?.data.build).toMatchObject({ configurationRevision: null, nixosVersion: '24.05.20240601.fedcba', kernelVersion: '6.6.30', specialisations: [] });
    expect(activations().at(-1)).toMatch(/argv=test /);
  });

  it('builds <nixpkgs/nixos> attribute system with -I nixos-config=FILE, as nix-build does, and records the search path', async () => {
    const result = await run('system', 'boot', '-I', `nixos-config=${configuration}`);
    expect(result.stderr).not.toContain('hint');
    expect(result.code).toBe(0);
    const expected = execFileSync('nix-build', ['--store', nixos.flakes.target.cliStoreUri, '<nixpkgs/nixos>', '-A', 'system', '--no-out-link', '-I', `nixos-config=${configuration}`], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const set = (await events('SystemProfileSet')).at(-1);
    expect(set?.data).toMatchObject({ action: 'boot', generation: 2, systemPath: expected });
    expect(set?.data.build).toEqual({
      flake: null,
      nixPath: { file: '<nixpkgs/nixos>', attribute: 'system', includes: [`nixos-config=${configuration}`], nixPath: nixos.nixPath },
      configurationRevision: null,
      nixosVersion: '22.11.20221130.012345',
      kernelVersion: '5.15.80',
      specialisations: [],
      storePath: expected,
    });
  });

  it('records the NixOS and kernel versions of a toplevel given as a PATH', async () => {
    const path = nixBuild(`${flake}#${toplevel('alpha')}`);
    const result = await run('--json', 'system', 'build', path);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { build: unknown }).build).toEqual({
      flake: null,
      nixPath: null,
      configurationRevision: null,
      nixosVersion: '23.11.20231201.abcdef',
      kernelVersion: '6.1.63',
      specialisations: ['small'],
      storePath: path,
    });
  });

  it('lists generations with nixos-rebuild list-generations --json fields, and who made each and why', async () => {
    const result = await run('--json', 'system', 'list-generations');
    expect(result.code).toBe(0);
    const { generations } = JSON.parse(result.stdout) as { generations: Array<Record<string, unknown>> };
    // The failed test activation of beta left generation 1 running; generation 2 was made by boot.
    expect(generations.map(({ generation, current, booted, running, nixosVersion, kernelVersion, configurationRevision, specialisations }) => ({ generation, current, booted, running, nixosVersion, kernelVersion, configurationRevision, specialisations }))).toEqual([
      { generation: 1, current: false, booted: false, running: true, nixosVersion: '23.11.20231201.abcdef', kernelVersion: '6.1.63', configurationRevision: 'rev-1', specialisations: ['small'] },
      { generation: 2, current: true, booted: false, running: false, nixosVersion: '22.11.20221130.012345', kernelVersion: '5.15.80', configurationRevision: null, specialisations: [] },
    ]);
    expect(generations[0]?.date).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(generations[0]?.who).toMatchObject({ user: 'alice', host: 'alpha' });
    expect(generations[0]?.why).toBeNull();
  });

  it("lists a generation genledger did not build from a flake with the revision its sw/bin/nixos-version --configuration-revision gives, and dates to the second, as nixos-rebuild does", async () => {
    const path = nixBuild(`${flake}#${toplevel('alpha')}`);
    expect(execFileSync(join(path, 'sw', 'bin', 'nixos-version'), ['--configuration-revision'], { encoding: 'utf8' })).toBe('rev-1\n');
    const switched = await run('system', 'switch', path);
    expect(switched.stderr).not.toContain('hint');
    expect(switched.code).toBe(0);
    expect((await events('SystemProfileSet')).at(-1)?.data.build).toMatchObject({ configurationRevision: null });
    const { generations } = JSON.parse((await run('--json', 'system', 'list-generations')).stdout) as { generations: Array<Record<string, unknown>> };
    expect(generations.map(({ generation, current, configurationRevision }) => ({ generation, current, configurationRevision }))).toEqual([
      { generation: 1, current: false, configurationRevision: 'rev-1' },
      { generation: 2, current: false, configurationRevision: null },
      { generation: 3, current: true, configurationRevision: 'rev-1' },
    ]);
    for (const generation of generations) expect(generation.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('dry-activates <nixpkgs/nixos> from -I nixos-config=FILE, as nixos-rebuild dry-activate does, and records nothing', async () => {
    const before = (await events('SystemActivated')).length;
    const result = await run('system', 'dry-activate', '-I', `nixos-config=${configuration}`, '-A', 'system', '--root', root);
    expect(result.stderr).not.toContain('hint');
    expect(result.code).toBe(0);
    const expected = execFileSync('nix-build', ['--store', nixos.flakes.target.cliStoreUri, '<nixpkgs/nixos>', '-A', 'system', '--no-out-link', '-I', `nixos-config=${configuration}`], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    expect(activations().at(-1)).toMatch(new RegExp(`^toplevel=${expected} argv=dry-activate `));
    expect(await events('SystemActivated')).toHaveLength(before);
  });

  it('refuses a PATH with --flake and -I with --flake (usage, exit 2) and --flake on the embedded store (exit 1)', async () => {
    const both = await run('--json', 'system', 'switch', '/tmp', '--flake', `${flake}#alpha`);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('GENLEDGER_SYSTEM_SOURCE_CONFLICT');
    const includeWithFlake = await run('--json', 'system', 'build', '--flake', `${flake}#alpha`, '-I', `nixos-config=${configuration}`);
    expect(includeWithFlake.code).toBe(2);
    expect(includeWithFlake.stderr).toContain('GENLEDGER_SYSTEM_SOURCE_CONFLICT');
    // A home remembers its store: the embedded one needs a home of its own.
    const embeddedHome = makeTestHome({ env });
    try {
      const embedded = await embeddedHome.run('--json', 'system', 'build', '--flake', `${flake}#alpha`);
      expect(embedded.code).toBe(1);
      expect(embedded.stderr).toContain('GENLEDGER_NIXOS_NEEDS_NIX');
    } finally {
      embeddedHome.cleanup();
    }
  });
  // Last: it collects the test's store, which the tests before would have to rebuild.
  it('keeps a configuration Nix built alive through a collection between the build and its generation link, then drops its temporary root', async () => {
    const gcFlake = nixos.writeNixosFlake('gc-window', { epsilon: { nixosVersion: '25.05.20250501.eeeeee', kernelVersion: '6.12.1', root } });
    const pauseFile = join(nixos.flakes.dir, 'paused');
    const switching = spawnCli(join(home.dir, 'home'), ['--store', `nix:${nixos.flakes.target.cliStoreUri}`, 'system', 'switch', '--flake', `${gcFlake}#epsilon`, '--root', root], {
      fault: 'after-build:pause',
      env: { ...env, GENLEDGER_FAULT_PAUSE: pauseFile },
      timeoutMs: 180_000,
    });
    let ended = false;
    void switching.finally(() => (ended = true));
    while (!existsSync(pauseFile) || !readFileSync(pauseFile, 'utf8').endsWith('\n')) {
      if (ended) throw new Error(`the switch ended before its pause: ${(await switching).stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const storePath = nixBuild(`${gcFlake}#${toplevel('epsilon')}`);
    const roots = execFileSync('nix-store', ['--store', nixos.flakes.target.cliStoreUri, '--query', '--roots', storePath], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(roots).toMatch(/genledger-nixos-build-[^/]+\/result -> /);
    nixos.flakes.nix(['store', 'gc']);
    expect(existsSync(storePath)).toBe(true);
    rmSync(pauseFile);
    const result = await switching;
    expect(result.stderr).not.toContain('hint');
    expect(result.status).toBe(0);
    const profiles = join(root, 'nix', 'var', 'nix', 'profiles');
    expect(readlinkSync(join(profiles, readlinkSync(join(profiles, 'system'))))).toBe(storePath);
    // The temporary result link is gone; the generation link's root keeps the configuration now.
    const autoRoots = join(nixos.flakes.target.stateDir, 'gcroots', 'auto');
    const temporary = readdirSync(autoRoots).map((name) => readlinkSync(join(autoRoots, name))).filter((link) => link.includes('genledger-nixos-build-'));
    expect(temporary.filter((link) => existsSync(link))).toEqual([]);
    nixos.flakes.nix(['store', 'gc']);
    expect(existsSync(storePath)).toBe(true);
  });
});
