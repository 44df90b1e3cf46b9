import { describe, expect, it } from 'vitest';
import type { ProfileState } from '../../../src/domain/profile-state.js';
import type { FsOp } from '../../../src/projection/fs-op.js';
import { planLinkChanges } from '../../../src/projection/link-changes.js';
import { planLinks } from '../../../src/projection/link-plan.js';
import type { ActualEntry } from '../../../src/projection/link-plan.js';
import { profileLayout } from '../../../src/projection/profile-layout.js';
import type { ProfileLayout } from '../../../src/projection/profile-layout.js';
import { seededRandom } from '../store/helpers.js';

const place = { link: '/home/profiles/profile', dir: '/home/profiles', base: 'profile' };
const autoRoots = '/home/gcroots/auto';
const time = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const storePath = (n: number) => `/nix/store/${String(n % 7).repeat(32)}-profile`;

type Disk = Map<string, { target: string; mtime: number }>;

/** A profile with generations 1..count (some deleted), the current one live, switched to at `since`. */
function randomState(random: () => number, count: number): ProfileState {
  const generations: Record<number, ProfileState['generations'][number]> = {};
  for (let n = 1; n <= count; n++) {
    generations[n] = { number: n, createdAt: time(n), profilePath: storePath(n), manifest: { elements: [] }, manifestVersion: 2, deleted: random() < 0.3 };
  }
  const live = Object.values(generations).filter((g) => !g.deleted);
  const current = live.length === 0 ? null : (live[Math.floor(random() * live.length)]?.number ?? null);
  return { exists: true, version: count, generations, current, currentSince: current === null ? null : time(count + Math.floor(random() * 5)), highestCreated: count, switches: [] };
}

/** The state after one more command: a new generation, a switch, or deletions. */
function nextState(random: () => number, state: ProfileState): ProfileState {
  const generations = { ...state.generations };
  const live = Object.values(generations).filter((g) => !g.deleted && g.number !== state.current);
  const roll = random();
  if (roll < 0.4 || state.current === null) {
    const number = state.highestCreated + 1;
    generations[number] = { number, createdAt: time(100 + number), profilePath: storePath(number), manifest: { elements: [] }, manifestVersion: 2, deleted: false };
    return { ...state, generations, current: number, currentSince: time(100 + number), highestCreated: number };
  }
  if (roll < 0.7 && live.length > 0) {
    const to = live[Math.floor(random() * live.length)]?.number ?? state.current;
    return { ...state, current: to, currentSince: time(200) };
  }
  for (const generation of live) if (random() < 0.6) generations[generation.number] = { ...generation, deleted: true };
  return { ...state, generations };
}

function diskOf(layout: ProfileLayout): Disk {
  const disk: Disk = new Map();
  for (const link of [...layout.generationLinks, ...layout.autoRoots]) disk.set(link.path, { target: link.target, mtime: link.mtime });
  if (layout.profileLink !== null) disk.set(layout.profileLink.path, { target: layout.profileLink.target, mtime: layout.profileLink.mtime });
  return disk;
}

function apply(disk: Disk, ops: readonly FsOp[]): Disk {
  const next = new Map(disk);
  for (const op of ops) {
    if (op.op === 'link' || op.op === 'switch') next.set(op.path, { target: op.target, mtime: op.mtime });
    if (op.op === 'unlink') next.delete(op.path);
  }
  return next;
}

const reader =
  (disk: Disk) =>
  (path: string): ActualEntry => {
    const entry = disk.get(path);
    return entry === undefined ? { kind: 'missing' } : { kind: 'symlink', ...entry };
  };

const layoutOf = (state: ProfileState) => profileLayout(state, place, autoRoots);

describe('planLinkChanges', () => {
  it('takes a disk holding the old layout to the same disk reconciliation gives, over 500 seeded changes', () => {
    const random = seededRandom(11);
    for (let round = 0; round < 500; round++) {
      const before = randomState(random, 1 + Math.floor(random() * 12));
      const after = nextState(random, before);
      const disk = diskOf(layoutOf(before));
      const reconciled = apply(disk, planLinks(layoutOf(after), reader(disk)));
      const changed = apply(disk, planLinkChanges(layoutOf(before), layoutOf(after), autoRoots));
      expect(changed).toEqual(reconciled);
      expect(planLinks(layoutOf(after), reader(changed)), 'nothing left to reconcile').toEqual([]);
    }
  });

  it('touches only what changes: a rollback is one switch, whatever the number of generations', () => {
    const generations: Record<number, ProfileState['generations'][number]> = {};
    for (let n = 1; n <= 1000; n++) generations[n] = { number: n, createdAt: time(n), profilePath: storePath(n), manifest: { elements: [] }, manifestVersion: 2, deleted: false };
    const before: ProfileState = { exists: true, version: 1000, generations, current: 1000, currentSince: time(1000), highestCreated: 1000, switches: [] };
    const after: ProfileState = { ...before, current: 999, currentSince: time(2000) };
    expect(planLinkChanges(layoutOf(before), layoutOf(after), autoRoots)).toEqual([{ op: 'switch', path: place.link, target: 'profile-999-link', mtime: Date.parse(time(2000)) / 1000 }]);
  });

  it('removes the link and the GC root of a deleted generation, and nothing else', () => {
    const random = seededRandom(3);
    const before = { ...randomState(random, 3), current: 3, currentSince: time(3) };
    const live = { ...before, generations: { ...before.generations, 1: { ...before.generations[1]!, deleted: false } } };
    const after = { ...live, generations: { ...live.generations, 1: { ...live.generations[1]!, deleted: true } } };
    const ops = planLinkChanges(layoutOf(live), layoutOf(after), autoRoots);
    expect(ops.map((op) => op.op)).toEqual(['unlink', 'unlink']);
    expect(ops.map((op) => op.path)).toContain('/home/profiles/profile-1-link');
  });
});
