import { describe, expect, it } from 'vitest';
import { planGarbageCollection } from '../../../src/store/gc-plan.js';
import type { ValidPathFacts } from '../../../src/store/gc-plan.js';

const path = (hashChar: string, name: string) => `/nix/store/${hashChar.repeat(32)}-${name}`;
const base = (storePath: string) => storePath.slice('/nix/store/'.length);

const app = path('a', 'app');
const lib = path('b', 'lib');
const libc = path('c', 'libc');
const left = path('d', 'left');
const right = path('f', 'right');
const top = path('g', 'top');

function store(entries: Record<string, { references?: string[]; narSize?: number; deriver?: string }>) {
  return new Map<string, ValidPathFacts>(
    Object.entries(entries).map(([p, facts]) => [p, { references: facts.references ?? [], narSize: facts.narSize ?? 100, deriver: facts.deriver }]),
  );
}

/** No dead path may come after a dead path it references. */
function expectReferrersFirst(dead: readonly { path: string }[], valid: Map<string, ValidPathFacts>) {
  const position = new Map(dead.map((d, i) => [d.path, i]));
  for (const { path: p } of dead) {
    for (const reference of valid.get(p)?.references ?? []) {
      if (reference !== p && position.has(reference)) expect(position.get(p)).toBeLessThan(position.get(reference) ?? -1);
    }
  }
}

describe('planGarbageCollection', () => {
  it('keeps the whole reference chain of a root alive', () => {
    const valid = store({ [app]: { references: [lib] }, [lib]: { references: [libc] }, [libc]: {}, [top]: {} });
    const plan = planGarbageCollection({ valid, roots: [app], storeEntries: [...valid.keys()].map(base) });
    expect(plan.live).toEqual([app, lib, libc]);
    expect(plan.dead).toEqual([{ path: top, bytes: 100 }]);
    expect(plan.bytes).toBe(100);
  });

  it('keeps a shared dependency alive while one referrer of a diamond is rooted', () => {
    const valid = store({ [top]: { references: [left, right] }, [left]: { references: [libc] }, [right]: { references: [libc] }, [libc]: {} });
    const plan = planGarbageCollection({ valid, roots: [right], storeEntries: [] });
    expect(plan.live).toEqual([libc, right]);
    expect(plan.dead.map((d) => d.path)).toEqual([top, left]);
  });

  it('deletes a dead diamond referrers first', () => {
    const valid = store({ [top]: { references: [left, right, top] }, [left]: { references: [libc] }, [right]: { references: [libc] }, [libc]: {} });
    const plan = planGarbageCollection({ valid, roots: [], storeEntries: [] });
    expect(plan.live).toEqual([]);
    expect(plan.dead.map((d) => d.path).sort()).toEqual([libc, left, right, top].sort());
    expect(plan.dead[0]?.path).toBe(top);
    expect(plan.dead.at(-1)?.path).toBe(libc);
    expectReferrersFirst(plan.dead, valid);
  });

  it('keeps the valid deriver of a live path alive, and its closure', () => {
    const drv = path('h', 'app.drv');
    const source = path('i', 'source');
    const valid = store({ [app]: { deriver: drv }, [drv]: { references: [source] }, [source]: {} });
    const plan = planGarbageCollection({ valid, roots: [app], storeEntries: [] });
    expect(plan.live).toEqual([app, drv, source]);
    expect(plan.dead).toEqual([]);
  });

  it('ignores roots and references that are not valid paths', () => {
    const missing = path('j', 'missing');
    const valid = store({ [app]: { references: [missing] } });
    const plan = planGarbageCollection({ valid, roots: [app, path('k', 'gone')], storeEntries: [] });
    expect(plan.live).toEqual([app]);
  });

  it('stops taking dead paths once max-freed is reached, keeping a referrer-first prefix', () => {
    const valid = store({
      [top]: { references: [left], narSize: 600 },
      [left]: { references: [libc], narSize: 600 },
      [libc]: { narSize: 600 },
    });
    const plan = planGarbageCollection({ valid, roots: [], storeEntries: [], maxFreed: 1000 });
    expect(plan.dead).toEqual([
      { path: top, bytes: 600 },
      { path: left, bytes: 600 },
    ]);
    expect(plan.bytes).toBe(1200);
    expect(planGarbageCollection({ valid, roots: [], storeEntries: [], maxFreed: 0 }).dead).toEqual([]);
  });

  it('removes temporary entries of dead processes only, keeps unknown entries, and ignores .links and the trash', () => {
    const valid = store({ [app]: {} });
    const orphan = `${'m'.repeat(32)}-orphan`;
    const entries = ['.tmp-42-abcdef012345', '.tmp-43-abcdef012345', '.tmp-1-junk', base(app), orphan, '.links', '.genledger-trash', 'stray-file'];
    const plan = planGarbageCollection({ valid, roots: [app], storeEntries: entries, processAlive: (pid) => pid === 43, isStorePathName: (name) => name === orphan });
    expect(plan.temporary).toEqual(['.tmp-42-abcdef012345']);
    expect(plan.unknown).toEqual(['.tmp-1-junk', '.tmp-43-abcdef012345', orphan, 'stray-file'].sort());
    expect(plan.unknownRemoved).toEqual([]);
    expect(plan.dead).toEqual([]);
    const deleting = planGarbageCollection({ valid, roots: [app], storeEntries: entries, processAlive: () => true, isStorePathName: (name) => name === orphan, deleteUnknown: true });
    expect(deleting.unknownRemoved).toEqual([orphan]);
    expect(deleting.temporary).toEqual([]);
  });

  it('keeps what a running process of the home is adding, with its closure, and removes what a dead one left unregistered', () => {
    const valid = store({ [app]: { references: [libc] }, [libc]: {}, [top]: {} });
    const added = `${'n'.repeat(32)}-being-added`;
    const left = `${'p'.repeat(32)}-left-behind`;
    const tempRoots = [
      { pid: 43, names: [base(app), added] },
      { pid: 42, names: [left, base(top)] },
    ];
    const plan = planGarbageCollection({ valid, roots: [], storeEntries: [base(app), base(libc), base(top), added, left], processAlive: (pid) => pid === 43, tempRoots });
    expect(plan.live).toEqual([app, libc].sort());
    expect(plan.dead.map((dead) => dead.path)).toEqual([top]);
    expect(plan.temporary).toEqual([left]);
    expect(plan.unknown).toEqual([added]);
  });

  it('is deterministic: the same store gives the same plan', () => {
    const facts = { [top]: { references: [left, right] }, [left]: { references: [libc] }, [right]: { references: [libc] }, [libc]: {} };
    const reversed = new Map([...store(facts)].reverse());
    expect(planGarbageCollection({ valid: reversed, roots: [], storeEntries: [] })).toEqual(
      planGarbageCollection({ valid: store(facts), roots: [], storeEntries: [] }),
    );
  });
});
