/**
 * `genledger --store nix system … --root DIR` on a temporary NixOS root,
 * with configurations built by real Nix (test/nix/nixos-fixtures.ts, the
 * root baked into each toplevel since the activation's environment is
 * cleared): the profile links are those `nix-env -p
 * DIR/nix/var/nix/profiles/system --set` leaves; switch-to-configuration
 * gets nixos-rebuild's argv and environment (--install-bootloader,
 * --specialisation); run/ and the boot entries are the activation's, read
 * back into the event; a failed activation, dry-activate, replay, and the
 * simulated reboot refused; boots observed through an injected boot id
 * (GENLEDGER_TEST_BOOT_ID_FILE), a test activation gone after one; a
 * boot not recorded yet reported by status (which records nothing), and a
 * booted system that is no generation named by its path.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestHome } from '../integration/test-world.js';
import type { TestHome } from '../integration/test-world.js';
import { nixForFlakes } from '../nix/flake-fixtures.js';
import { makeNixosWorld } from '../nix/nixos-fixtures.js';
import type { NixosSpec, NixosWorld } from '../nix/nixos-fixtures.js';

if (!nixForFlakes.available) console.warn(`compat: skipping the system profile on a real NixOS root: ${nixForFlakes.reason}`);

interface LoggedEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

const LOCALE = '/run/current-system/sw/lib/locale/locale-archive';

const hosts = (root: string): Record<string, NixosSpec> => ({
  alpha: { nixosVersion: '23.11.20231201.abcdef', kernelVersion: '6.1.63', root, specialisations: { small: { kernelVersion: '6.6.1' } } },
  delta: { nixosVersion: '24.05.20240601.aaaaaa', kernelVersion: '6.6.30', root },
  broken: { nixosVersion: '24.05.20240601.bbbbbb', kernelVersion: '6.6.31', root, activationExitCode: 3 },
});

interface Machine {
  readonly root: string;
  readonly flake: string;
  readonly home: TestHome;
  /** The file read as the kernel's boot id: write a new id to "boot". */
  readonly bootIdFile: string;
  run(...args: string[]): ReturnType<TestHome['run']>;
  events(type: string): Promise<LoggedEvent[]>;
  activations(): string[];
  toplevel(host: string): string;
}

describe.skipIf(!nixForFlakes.available)('the system profile on a real NixOS root (--root)', () => {
  let nixos: NixosWorld;
  const homes: TestHome[] = [];

  beforeAll(() => {
    nixos = makeNixosWorld();
  });
  afterAll(() => {
    for (const home of homes) home.cleanup();
    nixos?.cleanup();
  });

  const machine = (name: string): Machine => {
    const root = nixos.makeRoot(name);
    const flake = nixos.writeNixosFlake(`flake-${name}`, hosts(root));
    const bootIdFile = join(root, 'boot_id');
    const home = makeTestHome({
      env: { ...nixos.flakes.env, LOCALE_ARCHIVE: LOCALE, GENLEDGER_TEST_ROOT: '/nonexistent-the-env-must-be-cleared', GENLEDGER_TEST_BOOT_ID_FILE: bootIdFile },
    });
    homes.push(home);
    const run = (...args: string[]) => home.run('--store', `nix:${nixos.flakes.target.cliStoreUri}`, ...args);
    return {
      root,
      flake,
      home,
      bootIdFile,
      run,
      events: async (type) => (JSON.parse((await run('log', '--json')).stdout) as LoggedEvent[]).filter((event) => event.type === type),
      activations: () => (existsSync(join(root, 'activation.log')) ? readFileSync(join(root, 'activation.log'), 'utf8').split('\n').filter(Boolean) : []),
      toplevel: (host) =>
        (JSON.parse(nixos.flakes.nix(['build', '--no-link', '--json', `${flake}#nixosConfigurations."${host}".config.system.build.toplevel`])) as Array<{ outputs: { out: string } }>)[0]?.outputs
          .out as string,
    };
  };

  const profileLinks = (profiles: string) =>
    readdirSync(profiles)
      .filter((name) => name === 'system' || /^system-\d+-link$/.test(name))
      .sort()
      .map((name) => [name, readlinkSync(join(profiles, name))]);

  it('lays out DIR/nix/var/nix/profiles/system as nix-env -p … --set does, and leaves run/ and the boot entries to the activation', async () => {
    const m = machine('layout');
    for (const host of ['alpha', 'delta', 'alpha']) {
      const result = await m.run('system', 'switch', '--flake', `${m.flake}#${host}`, '--root', m.root);
      expect(result.stderr).not.toContain('hint');
      expect(result.code).toBe(0);
    }
    const reference = nixos.makeRoot('layout-nix-env');
    const referenceProfile = join(reference, 'nix', 'var', 'nix', 'profiles', 'system');
    for (const host of ['alpha', 'delta', 'alpha']) {
      execFileSync('nix-env', ['--store', nixos.flakes.target.cliStoreUri, '-p', referenceProfile, '--set', m.toplevel(host)], { env: nixos.flakes.env, stdio: 'ignore' });
    }
    const ours = profileLinks(join(m.root, 'nix', 'var', 'nix', 'profiles'));
    expect(ours).toEqual(profileLinks(join(reference, 'nix', 'var', 'nix', 'profiles')));
    expect(ours).toContainEqual(['system', 'system-3-link']);
    // The fixture's activation script wrote these, from the profile genledger laid out.
    expect(readlinkSync(join(m.root, 'run', 'current-system'))).toBe(m.toplevel('alpha'));
    expect(readdirSync(join(m.root, 'boot', 'loader', 'entries')).sort()).toEqual(['nixos-generation-1.conf', 'nixos-generation-2.conf', 'nixos-generation-3.conf']);
    expect(existsSync(join(m.home.dir, 'home', 'run', 'current-system'))).toBe(false);
    expect(existsSync(join(m.home.dir, 'home', 'profiles', 'system'))).toBe(false);
    const last = (await m.events('SystemActivated')).at(-1);
    expect(last?.data.observed).toEqual({
      currentSystem: m.toplevel('alpha'),
      bootEntries: ['nixos-generation-1.conf', 'nixos-generation-2.conf', 'nixos-generation-3.conf'],
    });
  });

  it("runs switch-to-configuration with nixos-rebuild's argv and cleared environment; --install-bootloader sets NIXOS_INSTALL_BOOTLOADER=1", async () => {
    const m = machine('env');
    expect((await m.run('system', 'switch', '--flake', `${m.flake}#alpha`, '--root', m.root)).code).toBe(0);
    expect((await m.run('system', 'boot', '--flake', `${m.flake}#delta`, '--root', m.root, '--install-bootloader')).code).toBe(0);
    const [plain, install] = m.activations();
    expect(plain).toBe(`toplevel=${m.toplevel('alpha')} argv=switch NIXOS_INSTALL_BOOTLOADER= LOCALE_ARCHIVE=${LOCALE} env=${envNames(plain)}`);
    expect(install).toMatch(new RegExp(`^toplevel=${m.toplevel('delta')} argv=boot NIXOS_INSTALL_BOOTLOADER=1 LOCALE_ARCHIVE=${LOCALE} `));
    for (const line of [plain, install]) {
      const names = envNames(line).split(',');
      expect(names).toEqual(expect.arrayContaining(['LOCALE_ARCHIVE', 'NIXOS_INSTALL_BOOTLOADER']));
      expect(names.filter((name) => !['LOCALE_ARCHIVE', 'NIXOS_INSTALL_BOOTLOADER', 'PWD', 'SHLVL', 'OLDPWD', '_', ''].includes(name))).toEqual([]);
    }
  });

  it('activates a specialisation with --specialisation NAME, and refuses a missing one before recording anything', async () => {
    const m = machine('specialisation');
    const result = await m.run('system', 'switch', '--flake', `${m.flake}#alpha`, '--root', m.root, '--specialisation', 'small');
    expect(result.code).toBe(0);
    const small = readlinkSync(join(m.toplevel('alpha'), 'specialisation', 'small'));
    expect(m.activations()).toEqual([expect.stringMatching(new RegExp(`^toplevel=${small} argv=switch `)) as unknown]);
    const [activated] = await m.events('SystemActivated');
    expect(activated?.data).toMatchObject({ action: 'switch', generation: 1, systemPath: m.toplevel('alpha'), specialisation: 'small', observed: { currentSystem: small } });
    const eventsBefore = (await m.events('SystemProfileSet')).length;
    const missing = await m.run('--json', 'system', 'switch', '--flake', `${m.flake}#delta`, '--root', m.root, '--specialisation', 'large');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('GENLEDGER_NO_SUCH_SPECIALISATION');
    expect(await m.events('SystemProfileSet')).toHaveLength(eventsBefore);
    expect(m.activations()).toHaveLength(1);
  });

  it('records a failed activation, exits 1, and keeps the new generation the boot default as nixos-rebuild does', async () => {
    const m = machine('failing');
    expect((await m.run('system', 'switch', '--flake', `${m.flake}#alpha`, '--root', m.root)).code).toBe(0);
    const result = await m.run('--json', 'system', 'switch', '--flake', `${m.flake}#broken`, '--root', m.root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GENLEDGER_ACTIVATION_FAILED');
    const failed = (await m.events('SystemActivated')).at(-1);
    expect(failed?.data).toMatchObject({ generation: 2, activation: { status: 'failed', exitCode: 3 } });
    expect(readlinkSync(join(m.root, 'nix', 'var', 'nix', 'profiles', 'system'))).toBe('system-2-link');
  });

  it('writes no run/ link nor boot entry itself: with --no-activate there are none, and replay re-creates only the profile links', async () => {
    const m = machine('no-activate');
    const result = await m.run('system', 'switch', '--flake', `${m.flake}#alpha`, '--root', m.root, '--no-activate');
    expect(result.code).toBe(0);
    const profiles = join(m.root, 'nix', 'var', 'nix', 'profiles');
    const links = profileLinks(profiles);
    expect(links).toEqual([
      ['system', 'system-1-link'],
      ['system-1-link', m.toplevel('alpha')],
    ]);
    expect(existsSync(join(m.root, 'run'))).toBe(false);
    expect(existsSync(join(m.root, 'boot'))).toBe(false);
    expect((await m.events('SystemActivated')).at(-1)?.data).toMatchObject({ activation: { status: 'skipped', reason: 'no-activate' }, observed: { currentSystem: null, bootEntries: [] } });
    rmSync(join(profiles, 'system'));
    rmSync(join(profiles, 'system-1-link'));
    const replay = await m.run('replay');
    expect(replay.code).toBe(0);
    expect(profileLinks(profiles)).toEqual(links);
    expect(existsSync(join(m.root, 'run'))).toBe(false);
    expect(existsSync(join(m.root, 'boot'))).toBe(false);
  });

  it('dry-activate runs switch-to-configuration dry-activate and records nothing', async () => {
    const m = machine('dry-activate');
    expect((await m.run('system', 'switch', '--flake', `${m.flake}#alpha`, '--root', m.root)).code).toBe(0);
    const before = (JSON.parse((await m.run('log', '--json')).stdout) as unknown[]).length;
    const result = await m.run('system', 'dry-activate', '--flake', `${m.flake}#delta`, '--root', m.root);
    expect(result.code).toBe(0);
    expect(m.activations().at(-1)).toMatch(new RegExp(`^toplevel=${m.toplevel('delta')} argv=dry-activate NIXOS_INSTALL_BOOTLOADER= LOCALE_ARCHIVE=${LOCALE} `));
    expect((JSON.parse((await m.run('log', '--json')).stdout) as unknown[]).length).toBe(before);
    expect(readlinkSync(join(m.root, 'run', 'current-system'))).toBe(m.toplevel('alpha'));
  });

  it('refuses the simulated reboot on a real root, and a --root other than the recorded one', async () => {
    const m = machine('reboot');
    expect((await m.run('system', 'switch', '--flake', `${m.flake}#alpha`, '--root', m.root)).code).toBe(0);
    const reboot = await m.run('--json', 'system', 'reboot');
    expect(reboot.code).toBe(1);
    expect(reboot.stderr).toContain('GENLEDGER_REBOOT_ON_REAL_ROOT');
    const other = await m.run('--json', 'system', 'switch', '--flake', `${m.flake}#delta`, '--root', nixos.makeRoot('elsewhere'));
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('GENLEDGER_SYSTEM_ROOT_MISMATCH');
    expect(m.activations()).toHaveLength(1);
  });

  it('detects a generation nix-env --set made on the same root, adopts it, and numbers on after Nix', async () => {
    const m = machine('interleaved');
    expect((await m.run('system', 'switch', '--flake', `${m.flake}#alpha`, '--root', m.root)).code).toBe(0);
    const profiles = join(m.root, 'nix', 'var', 'nix', 'profiles');
    execFileSync('nix-env', ['--store', nixos.flakes.target.cliStoreUri, '-p', join(profiles, 'system'), '--set', m.toplevel('delta')], { env: nixos.flakes.env, stdio: 'ignore' });
    const verify = await m.run('--json', 'verify');
    expect(verify.code).toBe(4);
    const drift = (JSON.parse(verify.stdout) as { problems: Array<{ kind: string; profile: string | null; fix: string | null }> }).problems.filter((problem) => problem.kind === 'drift');
    expect(drift.length).toBeGreaterThan(0);
    expect(drift.every((problem) => problem.profile === 'system' && problem.fix === 'adopt')).toBe(true);
    const refused = await m.run('--json', 'system', 'switch', '--flake', `${m.flake}#alpha`, '--root', m.root);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('GENLEDGER_PROFILE_DRIFT');
    expect((await m.run('-p', 'system', 'adopt')).code).toBe(0);
    expect((await m.run('verify')).code).toBe(0);
    expect((await m.events('SystemChangeObserved')).map((event) => event.data.generations)).toEqual([[expect.objectContaining({ generation: 2, systemPath: m.toplevel('delta') })]]);
    expect((await m.run('system', 'switch', '--flake', `${m.flake}#alpha`, '--root', m.root)).code).toBe(0);
    expect(profileLinks(profiles)).toEqual([
      ['system', 'system-3-link'],
      ['system-1-link', m.toplevel('alpha')],
      ['system-2-link', m.toplevel('delta')],
      ['system-3-link', m.toplevel('alpha')],
    ]);
  });
});

describe.skipIf(!nixForFlakes.available)('boots observed on a real root', () => {
  let nixos: NixosWorld;
  let home: TestHome;

  beforeAll(() => {
    nixos = makeNixosWorld();
  });
  afterAll(() => {
    home?.cleanup();
    nixos?.cleanup();
  });

  it('records one Booted per new boot id (observe-boot, or the first command that writes), none for the same one, and a test activation from before a boot is gone', async () => {
    const root = nixos.makeRoot('booting');
    const flake = nixos.writeNixosFlake('flake-booting', hosts(root));
    const bootIdFile = join(root, 'boot_id');
    home = makeTestHome({ env: { ...nixos.flakes.env, GENLEDGER_TEST_BOOT_ID_FILE: bootIdFile } });
    const run = (...args: string[]) => home.run('--store', `nix:${nixos.flakes.target.cliStoreUri}`, ...args);
    const booted = async () => (JSON.parse((await run('log', '--json')).stdout) as LoggedEvent[]).filter((event) => event.type === 'Booted').map((event) => event.data);
    const status = async () => JSON.parse((await run('--json', 'system', 'status')).stdout) as Record<string, Record<string, unknown> | null>;
    const alpha = (JSON.parse(nixos.flakes.nix(['build', '--no-link', '--json', `${flake}#nixosConfigurations.alpha.config.system.build.toplevel`])) as Array<{ outputs: { out: string } }>)[0]?.outputs.out as string;

    writeFileSync(bootIdFile, 'boot-1\n');
    expect((await run('system', 'switch', '--flake', `${flake}#alpha`, '--root', root)).code).toBe(0);
    expect((await run('system', 'test', '--flake', `${flake}#delta`, '--root', root)).code).toBe(0);
    // The first command saw boot-1 (nothing booted recorded yet); the second, the same boot.
    expect(await booted()).toEqual([{ bootId: 'boot-1', bootedSystem: null, generation: null, kernel: null, at: expect.any(String) as unknown }]);
    expect((await status()).running).toMatchObject({ test: true, generation: null });

    // A reboot: stage 2 points run/booted-system and run/current-system at the boot default; the kernel has a new boot id.
    mkdirSync(join(root, 'run'), { recursive: true });
    for (const name of ['booted-system', 'current-system']) {
      rmSync(join(root, 'run', name), { force: true });
      symlinkSync(alpha, join(root, 'run', name));
    }
    writeFileSync(bootIdFile, 'boot-2\n');
    const observed = await run('--json', 'system', 'observe-boot');
    expect(observed.code).toBe(0);
    expect(JSON.parse(observed.stdout)).toEqual({ booted: { bootId: 'boot-2', bootedSystem: alpha, generation: 1, kernel: '6.1.63', at: expect.any(String) as unknown } });
    const again = await run('--json', 'system', 'observe-boot');
    expect(JSON.parse(again.stdout)).toEqual({ booted: null });
    expect((await run('system', 'list-generations')).code).toBe(0);
    expect(await booted()).toHaveLength(2);

    const after = await status();
    expect(after.running).toMatchObject({ generation: 1, systemPath: alpha, test: false });
    expect(after.booted).toMatchObject({ generation: 1, systemPath: alpha });
    expect(after.lastBootId).toBe('boot-2');
    expect(after.root).toEqual({ dir: root, currentSystem: alpha, bootedSystem: alpha, bootEntries: ['nixos-generation-1.conf'] });
    expect((await run('verify')).code).toBe(0);

    // The first command that writes after a boot records it, whatever it is.
    writeFileSync(bootIdFile, 'boot-3\n');
    symlinkSync(alpha, join(root, 'result'));
    expect((await run('root', 'add', join(root, 'result'))).code).toBe(0);
    expect((await booted()).map((event) => event.bootId)).toEqual(['boot-1', 'boot-2', 'boot-3']);
  });

  it('status reports a boot not recorded yet without recording it, and names a booted system that is no generation by its path', async () => {
    const root = nixos.makeRoot('unrecorded-boot');
    const flake = nixos.writeNixosFlake('flake-unrecorded-boot', hosts(root));
    const bootIdFile = join(root, 'boot_id');
    const own = makeTestHome({ env: { ...nixos.flakes.env, GENLEDGER_TEST_BOOT_ID_FILE: bootIdFile } });
    const toplevel = (host: string) => (JSON.parse(nixos.flakes.nix(['build', '--no-link', '--json', `${flake}#nixosConfigurations.${host}.config.system.build.toplevel`])) as Array<{ outputs: { out: string } }>)[0]?.outputs.out as string;
    const m = {
      root,
      flake,
      bootIdFile,
      run: (...args: string[]) => own.run('--store', `nix:${nixos.flakes.target.cliStoreUri}`, ...args),
      events: async (type: string) => (JSON.parse((await own.run('--store', `nix:${nixos.flakes.target.cliStoreUri}`, 'log', '--json')).stdout) as LoggedEvent[]).filter((event) => event.type === type),
      toplevel,
    };
    try {
      const status = async () => JSON.parse((await m.run('--json', 'system', 'status')).stdout) as Record<string, unknown>;
      writeFileSync(m.bootIdFile, 'boot-1\n');
      expect((await m.run('system', 'switch', '--flake', `${m.flake}#alpha`, '--root', m.root)).code).toBe(0);
      expect(await status()).toMatchObject({ unrecordedBoot: null, lastBootId: 'boot-1' });

      // The machine booted a configuration that is no generation of this profile (made elsewhere, say, and chosen at the boot menu).
      const delta = m.toplevel('delta');
      for (const name of ['booted-system', 'current-system']) {
        rmSync(join(m.root, 'run', name), { force: true });
        symlinkSync(delta, join(m.root, 'run', name));
      }
      writeFileSync(m.bootIdFile, 'boot-2\n');
      const seen = await status();
      const note = `booted since the last recorded boot: boot id boot-2, run/booted-system -> ${delta}; 'genledger system observe-boot' records it`;
      expect(seen).toMatchObject({ inSync: false, unrecordedBoot: { bootId: 'boot-2', bootedSystem: delta }, lastBootId: 'boot-1' });
      expect(seen.notes).toContainEqual({ kind: 'boot-not-recorded', message: note });
      const text = await m.run('system', 'status');
      expect(text.stdout).toContain(`note: ${note}`);
      expect((await m.run('--json', 'system', 'list-generations')).code).toBe(0);
      // Reads record nothing: the boot is still the first one recorded.
      expect((await m.events('Booted')).map((event) => event.data.bootId)).toEqual(['boot-1']);

      const observed = await m.run('--json', 'system', 'observe-boot');
      expect(JSON.parse(observed.stdout)).toEqual({ booted: { bootId: 'boot-2', bootedSystem: delta, generation: null, kernel: '6.6.30', at: expect.any(String) as unknown } });
      const after = await status();
      expect(after).toMatchObject({
        unrecordedBoot: null,
        running: { generation: null, systemPath: delta, test: false },
        booted: { generation: null, systemPath: delta },
        bootDefault: { generation: 1, systemPath: m.toplevel('alpha') },
      });
      expect((after.notes as Array<{ kind: string }>).map((entry) => entry.kind)).not.toContain('boot-not-recorded');
      expect((await m.run('system', 'status')).stdout).toContain(`running:      ${delta}`);
    } finally {
      own.cleanup();
    }
  });

  it('refuses observe-boot on the simulated root', async () => {
    const simulated = makeTestHome();
    try {
      const result = await simulated.run('--json', 'system', 'observe-boot');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('GENLEDGER_NOT_A_REAL_ROOT');
    } finally {
      simulated.cleanup();
    }
  });
});

function envNames(line: string | undefined): string {
  return /env=(\S*)$/.exec(line ?? '')?.[1] ?? '';
}
