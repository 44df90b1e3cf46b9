import jsonPatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import type { ProfileCommand } from '../../../src/domain/profile-commands.js';
import { hasGenerationFacts } from '../../../src/domain/profile-events.js';
import type { ProfileEvent } from '../../../src/domain/profile-events.js';
import { evolve, fold } from '../../../src/domain/profile-evolve.js';
import type { MetaEvent } from '../../../src/domain/profile-evolve.js';
import { emptyManifest } from '../../../src/domain/profile-manifest.js';
import type { ProfileElement } from '../../../src/domain/profile-manifest.js';
import { initialProfileState, liveGenerations } from '../../../src/domain/profile-state.js';
import type { ProfileState } from '../../../src/domain/profile-state.js';
import {
  deleteGenerations,
  gen,
  generationsDeleted,
  given,
  install,
  installed,
  installsOf,
  manifestOf,
  pkg,
  prioritised,
  profilePathOf,
  remove,
  restore,
  rollback,
  setPriority,
  switched,
  T0,
  upgrade,
} from './profile-scenario.js';
import type { Dated, Gen } from './profile-scenario.js';

const { applyPatch, deepClone } = jsonPatch;

const hello = pkg('hello', '2.12');
const hello213 = pkg('hello', '2.13');
const greet = pkg('greet', '1.0');
const jq = pkg('jq', '1.7');

const minute = (n: number) => new Date(T0 + n * 60_000).toISOString();
const logOf = (events: readonly ProfileEvent[]): MetaEvent[] => events.map((event, i) => ({ event, meta: { at: minute(i), version: i + 1 } }));
const oneByOne = (events: readonly MetaEvent[], from: ProfileState = initialProfileState) =>
  events.reduce((state, { event, meta }) => evolve(state, event, meta), from);

/** The paths of every frozen object or array inside `value`. */
function frozenParts(value: unknown, path = '$'): string[] {
  if (value === null || typeof value !== 'object') return [];
  const inside = Object.entries(value).flatMap(([key, child]) => frozenParts(child, `${path}.${key}`));
  return Object.isFrozen(value) ? [path, ...inside] : inside;
}

/** Decides each command on the state the ones before it left, as the app layer does: the log it records. */
function decideAll(...commands: ProfileCommand[]): ProfileEvent[] {
  const history: Dated[] = [];
  for (const command of commands) {
    const { events } = given(...history).when(command).decided();
    history.push(...events.map((event) => ({ event, at: minute(history.length) })));
  }
  return history.map(({ event }) => event);
}

/** Every kind of generation event: install, upgrade, priority, rollback then install on the older one, remove, delete, restore. */
const log = decideAll(
  install(hello),
  install(greet),
  upgrade(hello213),
  setPriority('greet', 3),
  rollback(),
  install(jq),
  remove('hello'),
  deleteGenerations('2'),
  restore(2),
);

describe('evolve over a decided log', () => {
  const state = fold(initialProfileState, logOf(log));

  it('rebuilds every generation’s manifest from the patches alone', () => {
    const expected: Gen[] = [
      gen(1, hello),
      gen(2, hello, greet),
      gen(3, hello213, greet),
      gen(4, hello213, prioritised(greet, 3)),
      gen(5, hello213, greet, jq),
      gen(6, greet, jq),
      gen(7, hello, greet),
    ];
    for (const g of expected) expect(state.generations[g.number]?.manifest, `generation ${g.number}`).toEqual(manifestOf(g));
    expect([state.current, state.highestCreated, liveGenerations(state).map((g) => g.number)]).toEqual([7, 7, [1, 3, 4, 5, 6, 7]]);
  });

  it('records patches that are replayable: applied to the base generation’s manifest, each gives the new one', () => {
    const generationEvents = log.filter(hasGenerationFacts);
    expect(generationEvents.map((event) => [event.type, event.data.base, event.data.generation])).toEqual([
      ['PackagesInstalled', 0, 1],
      ['PackagesInstalled', 1, 2],
      ['PackagesUpgraded', 2, 3],
      ['PriorityChanged', 3, 4],
      ['PackagesInstalled', 3, 5],
      ['PackagesRemoved', 5, 6],
      ['GenerationRestored', 6, 7],
    ]);
    for (const { data } of generationEvents) {
      const base = data.base === 0 ? emptyManifest : state.generations[data.base]?.manifest;
      const replayed = applyPatch(deepClone(base), deepClone(data.patch), true, false).newDocument;
      expect(replayed, `generation ${data.generation}`).toEqual(state.generations[data.generation]?.manifest);
      expect(data.profilePath).toBe(profilePathOf(replayed, data.manifestVersion));
    }
  });

  it('keeps a deleted generation in the state, flagged deleted, with its manifest and profile path', () => {
    expect(state.generations[2]).toEqual({
      number: 2,
      createdAt: minute(2),
      profilePath: profilePathOf(manifestOf(gen(2, hello, greet)), 2),
      manifest: manifestOf(gen(2, hello, greet)),
      manifestVersion: 2,
      deleted: true,
    });
    expect(liveGenerations(state).map((g) => g.number)).not.toContain(2);
  });

  it('leaves the events it applied untouched, sharing none of their patches with the frozen state', () => {
    const copy = JSON.parse(JSON.stringify(log)) as ProfileEvent[];
    fold(initialProfileState, logOf(log));
    expect(log).toEqual(copy);
    const patches = log.filter(hasGenerationFacts).map((event) => event.data.patch);
    expect(patches.flatMap((patch) => frozenParts(patch))).toEqual([]);
  });
});

describe('fold', () => {
  const events = logOf(log);

  it('gives the same state as evolving one event at a time', () => {
    expect(fold(initialProfileState, events)).toEqual(oneByOne(events));
  });

  it('continues from a folded prefix to the same state as a fold from the start', () => {
    for (const cut of [0, 3, 7, events.length]) {
      expect(fold(fold(initialProfileState, events.slice(0, cut)), events.slice(cut)), `cut at ${cut}`).toEqual(fold(initialProfileState, events));
    }
  });

  it('returns a frozen state: mutating it, however deep, throws', () => {
    const state = fold(initialProfileState, events);
    const mutations: [string, () => void][] = [
      ['current', () => ((state as { current: number | null }).current = 1)],
      ['a generation', () => ((state.generations as Record<number, unknown>)[99] = {})],
      ['a deleted flag', () => ((state.generations[2] as { deleted: boolean }).deleted = false)],
      ['a manifest', () => (state.generations[1]?.manifest.elements as ProfileElement[]).push(hello.element)],
      ['an element', () => ((state.generations[1]?.manifest.elements[0] as { priority: number }).priority = 1)],
      ['the switches', () => (state.switches as unknown[]).pop()],
    ];
    for (const [what, mutate] of mutations) expect(mutate, what).toThrow(TypeError);
  });

  it('leaves the state it starts from as it was', () => {
    const before = fold(initialProfileState, events.slice(0, 4));
    const copy = JSON.parse(JSON.stringify(before)) as ProfileState;
    fold(before, events.slice(4));
    expect(before).toEqual(copy);
  });
});

describe('evolve, event by event', () => {
  const { events: installs } = installsOf(hello, greet, jq);
  const three = fold(initialProfileState, logOf(installs));

  it('dates a generation and the current one by the event that made them, and takes the version from the metadata', () => {
    expect(three.generations[3]).toMatchObject({ createdAt: minute(3), manifestVersion: 2, deleted: false });
    expect([three.exists, three.version, three.current, three.currentSince]).toEqual([true, 4, 3, minute(3)]);
    expect(three.switches).toEqual([
      { from: null, to: 1, at: minute(1) },
      { from: 1, to: 2, at: minute(2) },
      { from: 2, to: 3, at: minute(3) },
    ]);
  });

  it('a profile only created exists with no generation', () => {
    const created = evolve(initialProfileState, installs[0] as ProfileEvent, { at: minute(0), version: 1 });
    expect(created).toEqual({ ...initialProfileState, exists: true, version: 1 });
  });

  it('a reused generation only becomes current again: nothing is added or changed', () => {
    const rolledBack = evolve(three, switched(3, 2, 'rollback'), { at: minute(10), version: 5 });
    const reused = installed(gen(3, hello, greet, jq), { base: gen(2, hello, greet), created: false });
    const after = evolve(rolledBack, reused, { at: minute(11), version: 6 });
    expect(after.generations).toBe(rolledBack.generations);
    expect([after.current, after.currentSince, after.highestCreated, after.switches.at(-1)]).toEqual([3, minute(11), 3, { from: 2, to: 3, at: minute(11) }]);
  });

  it('a switch that brings the empty generation 0 into existence puts it with the empty manifest', () => {
    const after = evolve(three, switched(3, 0, 'rollback', { createsEmpty: true, manifestVersion: 3 }), { at: minute(10), version: 5 });
    expect(after.generations[0]).toEqual({ number: 0, createdAt: minute(10), profilePath: profilePathOf(emptyManifest, 3), manifest: emptyManifest, manifestVersion: 3, deleted: false });
    expect([after.current, after.highestCreated]).toEqual([0, 3]);
  });

  it('deleting generations flags them and moves nothing else', () => {
    const after = evolve(three, generationsDeleted(['1', '2'], 1, 2), { at: minute(10), version: 5 });
    expect([1, 2, 3].map((n) => after.generations[n]?.deleted)).toEqual([true, true, false]);
    expect({ ...after, generations: three.generations, version: 4 }).toEqual(three);
  });
});
