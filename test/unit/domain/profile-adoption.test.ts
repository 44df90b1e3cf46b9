import { describe, expect, it } from 'vitest';
import { lineageEffect } from '../../../src/domain/generation-lineage.js';
import type { ObservedLinks, ObservedManifest } from '../../../src/domain/observed-profile.js';
import { packageTouches } from '../../../src/domain/package-touches.js';
import { decideAdoption, decideImport } from '../../../src/domain/profile-adoption.js';
import { hasDrift, profileDrift } from '../../../src/domain/profile-drift.js';
import type { ProfileEvent } from '../../../src/domain/profile-events.js';
import { evolve } from '../../../src/domain/profile-evolve.js';
import type { ProfileElement } from '../../../src/domain/profile-manifest.js';
import { initialProfileState, liveGenerations } from '../../../src/domain/profile-state.js';
import type { ProfileState } from '../../../src/domain/profile-state.js';

const store = '/nix/store';
const path = (hash: string, name: string) => `${store}/${hash.repeat(32).slice(0, 32)}-${name}`;
const element = (name: string, version: string, priority = 5): ProfileElement => ({ name, active: true, priority, storePaths: [path(name[0] ?? 'a', `${name}-${version}`)] });
const manifestOf = (...elements: ProfileElement[]): ObservedManifest => ({ manifest: { elements }, manifestVersion: 2, format: 'manifest.nix' });
const time = (minute: number) => new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString();
const link = (number: number, minute = number) => ({ number, target: path(String(number), 'user-environment'), mtime: time(minute), owner: 1000 });
const actor = { user: 'root', uid: 0, host: 'box' };

function fold(events: readonly { event: ProfileEvent; at: string }[], from: ProfileState = initialProfileState): ProfileState {
  return events.reduce((state, { event, at }, index) => evolve(state, event, { at, version: from.version + index + 1 }), from);
}

/** Generations 1, 3 (2 deleted), 4; the profile link names 3 (rolled back). */
const links: ObservedLinks = { generations: [link(1), link(3), link(4)], current: 3, currentSince: time(9), currentOwner: 0, strays: [] };
const manifests = new Map([
  [1, manifestOf(element('pkga', '1.0'))],
  [3, manifestOf(element('pkga', '1.0'), element('pkgb', '2.0'))],
  [4, manifestOf(element('pkgb', '2.1', 4))],
]);
const lookup = (n: number) => manifests.get(n) as ObservedManifest;

describe('decideImport', () => {
  const events = decideImport(links, lookup, { source: '/p/profile', importedBy: actor, importedAt: time(60) });
  const state = fold(events);

  it('folds to the numbers, targets, dates, manifests and current generation found on disk', () => {
    expect(liveGenerations(state).map((g) => [g.number, g.profilePath, g.createdAt, g.manifest])).toEqual(
      links.generations.map((l) => [l.number, l.target, l.mtime, lookup(l.number).manifest]),
    );
    expect([state.current, state.currentSince, state.highestCreated]).toEqual([3, time(9), 4]);
    expect(state.generations[2]).toBeUndefined();
    expect(hasDrift(profileDrift(state, links))).toBe(false);
  });

  it('dates each event by its link and the closing one by the profile link, recording gaps as ranges', () => {
    expect(events.map(({ at, event }) => [event.type, at])).toEqual([
      ['GenerationImported', time(1)],
      ['GenerationImported', time(3)],
      ['GenerationImported', time(4)],
      ['ProfileImported', time(9)],
    ]);
    expect(events[3]?.event.data).toMatchObject({ generations: [1, 3, 4], gaps: [[2, 2]], current: 3, importedBy: actor });
  });

  it('says what each generation changed against the one below it', () => {
    expect(events.slice(0, 3).map(({ event }) => packageTouches(event).map((t) => `${t.change} ${t.name}@${t.generation}`))).toEqual([
      ['installed pkga@1'],
      ['installed pkgb@3'],
      ['upgraded pkgb@4', 'removed pkga@4'],
    ]);
    expect(events.map(({ event }) => lineageEffect(event))).toEqual([
      { created: [{ generation: 1, parent: 0 }], current: 1 },
      { created: [{ generation: 3, parent: 1 }], current: 3 },
      { created: [{ generation: 4, parent: 3 }], current: 4 },
      { created: [], current: 3 },
    ]);
  });

  it('leaves no current generation when the profile link names none', () => {
    const unlinked = decideImport({ ...links, current: null, currentSince: null, currentOwner: null }, lookup, { source: '/p/profile', importedBy: actor, importedAt: time(60) });
    expect(unlinked.at(-1)?.at).toBe(time(4));
    expect(fold(unlinked).current).toBeNull();
  });
});

describe('profileDrift and decideAdoption', () => {
  const imported = fold(decideImport(links, lookup, { source: '/p/profile', importedBy: actor, importedAt: time(60) }));

  it('finds links made, brought back, retargeted and deleted outside genledger, and a moved profile link', () => {
    const withDeleted = fold([{ event: { type: 'GenerationsDeleted', data: { generations: [1], spec: ['1'] } }, at: time(10) }], imported);
    const disk: ObservedLinks = { generations: [link(1, 20), { ...link(3), target: path('z', 'profile') }, link(6, 21)], current: 6, currentSince: time(22), currentOwner: 0, strays: [] };
    const drift = profileDrift(withDeleted, disk);
    expect(drift.generations.map((item) => [item.generation, item.kind])).toEqual([
      [1, 'reappeared'],
      [3, 'retargeted'],
      [4, 'vanished'],
      [6, 'appeared'],
    ]);
    expect(drift.current).toEqual({ ledger: 3, disk: 6 });
  });

  it('records them so that the state folds to what the disk holds', () => {
    const disk: ObservedLinks = { generations: [link(3), link(5, 30), link(6, 31)], current: 6, currentSince: time(32), currentOwner: 0, strays: [] };
    const found = new Map([
      [5, manifestOf(element('pkgb', '2.0'), element('pkgc', '3.0'))],
      [6, manifestOf(element('pkgc', '3.0'))],
    ]);
    const drift = profileDrift(imported, disk);
    const event = decideAdoption(imported, disk, drift, (n) => found.get(n) as ObservedManifest);
    const after = fold([{ event, at: time(40) }], imported);
    expect(hasDrift(profileDrift(after, disk))).toBe(false);
    expect(after.currentSince).toBe(time(32));
    expect(after.generations[5]?.manifest).toEqual(found.get(5)?.manifest);
    expect(after.generations[4]?.deleted).toBe(true);
    if (event.type !== 'ExternalChangeObserved') throw new Error('expected ExternalChangeObserved');
    // Nix builds a new generation from the current one (3); the next new one follows it.
    expect(event.data.generations.map((g) => [g.generation, g.base, g.changes.map((c) => `${c.change} ${c.name}`)])).toEqual([
      [5, 3, ['installed pkgc', 'removed pkga']],
      [6, 5, ['removed pkgb']],
    ]);
    expect(event.data.deleted).toEqual([1, 4]);
    expect(lineageEffect(event)).toEqual({ created: [{ generation: 5, parent: 3 }, { generation: 6, parent: 5 }], current: 6 });
  });
});
