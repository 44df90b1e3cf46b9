import { describe, expect, it } from 'vitest';
import { activationEvent, decideSystem } from '../../../src/domain/system-decide.js';
import type { SystemCommand } from '../../../src/domain/system-decide.js';
import { evolveSystem, initialSystemProfileState } from '../../../src/domain/system-profile.js';
import type { SystemProfileState } from '../../../src/domain/system-profile.js';
import type { ActualEntry } from '../../../src/projection/link-plan.js';
import { systemLayout } from '../../../src/projection/system-layout.js';
import type { SystemPlace } from '../../../src/projection/system-layout.js';
import { describeSystemOp, planSystemOps } from '../../../src/projection/system-plan.js';
import type { SystemDisk, SystemOp } from '../../../src/projection/system-plan.js';
import { indirectRootName } from '../../../src/store/indirect-root.js';

const A = '/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-nixos-system-a';
const B = '/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-nixos-system-b';
const H = '/h';
const place: SystemPlace = {
  profile: { link: `${H}/profiles/system`, dir: `${H}/profiles`, base: 'system' },
  autoRootsDir: `${H}/gcroots/auto`,
  volatile: { currentSystemLink: `${H}/run/current-system`, bootedSystemLink: `${H}/run/booted-system`, bootDir: `${H}/boot` },
};
/** 2026-11-23T10:00:00Z. */
const T0 = Date.UTC(2026, 10, 23, 10) / 1000;

function given(...commands: SystemCommand[]): SystemProfileState {
  let state = initialSystemProfileState;
  for (const command of commands) {
    const decision = decideSystem(state, command);
    const skipped = { status: 'skipped', reason: 'no-script' } as const;
    for (const event of [...decision.events, ...(decision.activation === null ? [] : [activationEvent(decision.activation, skipped)])]) {
      state = evolveSystem(state, event, { at: new Date((T0 + state.version * 60) * 1000).toISOString(), version: state.version + 1 });
    }
  }
  return state;
}

/** A disk held in maps, to which the plan's operations can be applied. */
class FakeDisk implements SystemDisk {
  readonly links = new Map<string, { target: string; mtime: number }>();
  readonly files = new Map<string, string>();
  readonly entry = (path: string): ActualEntry => {
    const link = this.links.get(path);
    if (link !== undefined) return { kind: 'symlink', ...link };
    return this.files.has(path) ? { kind: 'other' } : { kind: 'missing' };
  };
  readonly file = (path: string) => this.files.get(path) ?? null;
  readonly names = (dir: string) => [...this.files.keys()].filter((path) => path.startsWith(`${dir}/`)).map((path) => path.slice(dir.length + 1));

  apply(ops: readonly SystemOp[]): void {
    for (const op of ops) {
      if (op.op === 'write') this.files.set(op.path, op.content);
      else if (op.op === 'remove') this.files.delete(op.path);
      else if (op.op === 'unlink') this.links.delete(op.path);
      else if (op.op === 'link' || op.op === 'switch') this.links.set(op.path, { target: op.target, mtime: op.mtime });
    }
  }
}

function plan(state: SystemProfileState, disk: FakeDisk): SystemOp[] {
  return planSystemOps(systemLayout(state, place), disk);
}

describe('system layout', () => {
  it('links each generation to its system path, the profile to the boot default, and run/ to what runs', () => {
    const state = given({ kind: 'switch', systemPath: A }, { kind: 'boot', systemPath: B });
    const layout = systemLayout(state, place);
    expect(layout.profile.generationLinks).toEqual([
      { path: `${H}/profiles/system-1-link`, target: A, mtime: T0 },
      { path: `${H}/profiles/system-2-link`, target: B, mtime: T0 + 120 },
    ]);
    expect(layout.profile.profileLink).toEqual({ path: `${H}/profiles/system`, target: 'system-2-link', mtime: T0 + 120 });
    expect(layout.profile.autoRoots.map((root) => root.path)).toEqual([1, 2].map((n) => `${H}/gcroots/auto/${indirectRootName(`${H}/profiles/system-${n}-link`)}`));
    expect(layout.runLinks).toEqual([
      { path: `${H}/run/current-system`, desired: { path: `${H}/run/current-system`, target: A, mtime: T0 + 60 } },
      { path: `${H}/run/booted-system`, desired: null },
    ]);
    expect([...layout.bootFiles.keys()]).toEqual([
      `${H}/boot/loader/entries/nixos-generation-2.conf`,
      `${H}/boot/loader/entries/nixos-generation-1.conf`,
      `${H}/boot/loader/loader.conf`,
    ]);
    expect(layout.bootFiles.get(`${H}/boot/loader/loader.conf`)).toBe('timeout 5\ndefault nixos-generation-2.conf\n');
  });
});

describe('system plan', () => {
  it('creates everything on an empty disk, boot entries before loader.conf, run links last', () => {
    const ops = plan(given({ kind: 'switch', systemPath: A }), new FakeDisk());
    expect(ops.map(describeSystemOp)).toEqual([
      `link ${H}/profiles/system-1-link -> ${A}`,
      `link ${H}/gcroots/auto/${indirectRootName(`${H}/profiles/system-1-link`)} -> ${H}/profiles/system-1-link`,
      `switch ${H}/profiles/system -> system-1-link`,
      `write ${H}/boot/loader/entries/nixos-generation-1.conf`,
      `write ${H}/boot/loader/loader.conf`,
      `link ${H}/run/current-system -> ${A}`,
    ]);
  });

  it('is idempotent: once applied, planning again changes nothing', () => {
    const state = given({ kind: 'switch', systemPath: A }, { kind: 'boot', systemPath: B }, { kind: 'reboot' });
    const disk = new FakeDisk();
    disk.apply(plan(state, disk));
    expect(plan(state, disk)).toEqual([]);
  });

  it('rewrites only the files whose bytes differ', () => {
    const first = given({ kind: 'switch', systemPath: A });
    const disk = new FakeDisk();
    disk.apply(plan(first, disk));
    const ops = plan(given({ kind: 'switch', systemPath: A }, { kind: 'boot', systemPath: B }), disk);
    expect(ops.filter((op) => op.op === 'write').map((op) => op.path)).toEqual([`${H}/boot/loader/entries/nixos-generation-2.conf`, `${H}/boot/loader/loader.conf`]);
  });

  it('removes entries beyond the configuration limit, and leaves files it does not write alone', () => {
    const state = given({ kind: 'switch', systemPath: A }, { kind: 'switch', systemPath: B });
    const disk = new FakeDisk();
    disk.apply(plan(state, disk));
    disk.files.set(`${H}/boot/loader/entries/memtest.conf`, 'title memtest\n');
    const limited = given({ kind: 'switch', systemPath: A }, { kind: 'switch', systemPath: B }, { kind: 'boot', systemPath: B, configurationLimit: 1 });
    expect(plan(limited, disk).filter((op) => op.op === 'remove')).toEqual([{ op: 'remove', path: `${H}/boot/loader/entries/nixos-generation-1.conf` }]);
  });

  it('removes run/current-system when nothing runs, and points it back when it was changed by hand', () => {
    const state = given({ kind: 'boot', systemPath: A });
    const disk = new FakeDisk();
    disk.links.set(`${H}/run/current-system`, { target: B, mtime: 1 });
    expect(plan(state, disk).filter((op) => op.path.startsWith(`${H}/run/`))).toEqual([{ op: 'unlink', path: `${H}/run/current-system` }]);
    const running = given({ kind: 'switch', systemPath: A });
    expect(plan(running, disk).filter((op) => op.path.startsWith(`${H}/run/`))).toEqual([{ op: 'link', path: `${H}/run/current-system`, target: A, mtime: T0 + 60 }]);
  });
});
