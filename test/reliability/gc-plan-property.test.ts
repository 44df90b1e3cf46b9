/**
 * The planner never deletes what a root, a running process, an unknown
 * entry or a live temporary entry may need. Seeded random stores: a DAG of
 * valid paths with derivers, random roots (on disk and runtime, the planner
 * cannot tell them apart), unknown entries (store-path names and others),
 * temporary entries of dead and live processes, with and without
 * `deleteUnknown` and `maxFreed`. Each case checks the plan against a
 * closure computed here, independently.
 */
import { describe, expect, it } from 'vitest';
import { planGarbageCollection } from '../../src/store/gc-plan.js';
import type { ValidPathFacts } from '../../src/store/gc-plan.js';
import { int, seededRandom } from './seeded-random.js';
import type { Random } from './seeded-random.js';

const CASES = 400;
const NIX32 = '0123456789abcdfghijklmnpqrsvwxyz';

function hashPart(random: Random): string {
  return Array.from({ length: 32 }, () => NIX32[int(random, 32)]).join('');
}

function closure(roots: readonly string[], valid: ReadonlyMap<string, ValidPathFacts>): Set<string> {
  const seen = new Set<string>();
  const pending = roots.filter((root) => valid.has(root));
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (seen.has(path)) continue;
    seen.add(path);
    const facts = valid.get(path);
    for (const next of [...(facts?.references ?? []), ...(facts?.deriver === undefined ? [] : [facts.deriver])]) if (valid.has(next)) pending.push(next);
  }
  return seen;
}

describe('the gc planner on random stores', () => {
  it.each(Array.from({ length: CASES }, (_, seed) => seed))('case %i never deletes a needed path or entry', (seed) => {
    const random = seededRandom(seed + 1);
    const count = int(random, 30);
    const paths = Array.from({ length: count }, (_, index) => `/nix/store/${hashPart(random)}-p${index}`);
    const valid = new Map<string, ValidPathFacts>();
    paths.forEach((path, index) => {
      // References only to earlier paths keep the graph acyclic, as content addressing does; self-references allowed.
      const references = paths.slice(0, index).filter(() => random() < 0.15);
      if (random() < 0.1) references.push(path);
      const deriver = index > 0 && random() < 0.1 ? paths[int(random, index)] : undefined;
      valid.set(path, { references, narSize: 1 + int(random, 1000), ...(deriver === undefined ? {} : { deriver }) });
    });
    const roots = paths.filter(() => random() < 0.15);
    if (random() < 0.2) roots.push(`/nix/store/${hashPart(random)}-not-valid`);
    const livePids = new Set([100, 200, 300].filter(() => random() < 0.5));
    const unknownStoreNames = Array.from({ length: int(random, 4) }, (_, index) => `${hashPart(random)}-unknown${index}`);
    const otherNames = ['stray', '.hidden', '.tmp-1-junk', 'README'].filter(() => random() < 0.4);
    const temps = [100, 200, 300, 400].filter(() => random() < 0.5).map((pid) => `.tmp-${pid}-abcdef01234${pid % 10}`);
    const entries = [...paths.map((path) => path.slice('/nix/store/'.length)), ...unknownStoreNames, ...otherNames, ...temps, '.links', '.genledger-trash'];
    const deleteUnknown = random() < 0.3;
    const maxFreed = random() < 0.2 ? int(random, 3000) : undefined;

    const plan = planGarbageCollection({
      valid,
      roots,
      storeEntries: entries,
      processAlive: (pid) => livePids.has(pid),
      isStorePathName: (name) => /^[0-9a-df-np-sv-z]{32}-/.test(name),
      deleteUnknown,
      ...(maxFreed === undefined ? {} : { maxFreed }),
    });

    const needed = closure(roots, valid);
    const dead = plan.dead.map((d) => d.path);
    for (const path of dead) expect(needed.has(path), `${path} is reachable from a root`).toBe(false);
    expect(new Set(plan.live)).toEqual(needed);
    if (maxFreed === undefined) expect(new Set(dead)).toEqual(new Set(paths.filter((path) => !needed.has(path))));
    // Every prefix of the deletion order is safe: a dead path comes before everything it references.
    dead.forEach((path, index) => {
      for (const reference of valid.get(path)?.references ?? []) if (reference !== path && dead.includes(reference)) expect(dead.indexOf(reference)).toBeGreaterThan(index);
    });
    const liveTemps = temps.filter((name) => livePids.has(Number(name.split('-')[1])));
    expect(plan.temporary).toEqual(temps.filter((name) => !liveTemps.includes(name)).sort());
    expect(plan.unknownRemoved).toEqual(deleteUnknown ? [...unknownStoreNames].sort() : []);
    const kept = [...otherNames, ...liveTemps, ...(deleteUnknown ? [] : unknownStoreNames)];
    expect(plan.unknown).toEqual(kept.sort());
  });
});
