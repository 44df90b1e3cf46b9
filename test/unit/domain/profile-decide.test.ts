import { describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../../../src/errors.js';
import type { ErrorCode } from '../../../src/errors.js';
import type { ProfileCommand } from '../../../src/domain/profile-commands.js';
import { emptyManifest } from '../../../src/domain/profile-manifest.js';
import { liveGenerations } from '../../../src/domain/profile-state.js';
import type { ProfileState } from '../../../src/domain/profile-state.js';
import { CollisionError } from '../../../src/projection/collision-error.js';
import {
  at,
  DAY,
  deleteGenerations,
  emptyGen,
  gen,
  generationsDeleted,
  given,
  historyWiped,
  install,
  installed,
  installsOf,
  manifestOf,
  named,
  pkg,
  prioritised,
  priorityChanged,
  profileCreated,
  profilePathOf,
  remove,
  removed,
  restore,
  restored,
  rollback,
  setPriority,
  storePathOf,
  switched,
  switchGeneration,
  T0,
  undo,
  upgrade,
  upgraded,
  wipeHistory,
} from './profile-scenario.js';
import type { Dated, Gen, Package } from './profile-scenario.js';

const hello = pkg('hello', '2.12');
const hello213 = pkg('hello', '2.13');
const greet = pkg('greet', '1.0');
const jq = pkg('jq', '1.7');
const vim = pkg('vim', '9.1');
const pkga = pkg('pkga', '1.0', { plain: true });

/** g1 = [hello], g2 = [hello, greet], g3 = [hello, greet, jq], g4 = … + vim, g5 = … + pkga; current 5. */
const { events: fiveInstalls, gens } = installsOf(hello, greet, jq, vim, pkga);
const [g1, g2, g3] = gens as [Gen, Gen, Gen];
const oneInstall = fiveInstalls.slice(0, 2);
const twoInstalls = fiveInstalls.slice(0, 3);
const threeInstalls = fiveInstalls.slice(0, 4);

const live = (state: ProfileState) => liveGenerations(state).map((generation) => generation.number);

/** fiveInstalls dated back from `now`: the profile and generation 1 40 days, then 35, 20, 5 and 1 day. */
const aged = (now: number): Dated[] => fiveInstalls.map((event, i) => at(now - ([40, 40, 35, 20, 5, 1][i] as number) * DAY, event));

describe('install', () => {
  it('into a profile that does not exist creates it and generation 1 on the empty generation 0', () => {
    const after = given().when(install(hello)).then(profileCreated, installed(g1, { base: emptyGen }));
    expect(after.current).toBe(1);
    expect(after.generations[1]?.manifest).toEqual(manifestOf(g1));
  });

  it('appends to the current manifest as the next generation', () => {
    given(...oneInstall).when(install(greet)).then(installed(g2, { base: g1 }));
  });

  it('records nothing for a package already installed with the same store paths, priority and source', () => {
    given(...oneInstall).when(install(hello)).then();
  });

  it('installs only the installables that are not there yet', () => {
    given(...oneInstall).when(install(hello, greet)).then(installed(g2, { base: g1 }));
  });

  it('gives another version of an installed package a name of its own', () => {
    given(...oneInstall).when(install(hello213)).then(installed(gen(2, hello, named(hello213, 'hello-1')), { base: g1 }));
  });

  it('records the manifest version it was decided with', () => {
    given().when(install(hello), { manifestVersion: 3 }).then(profileCreated, installed(g1, { base: emptyGen, manifestVersion: 3 }));
  });

  it('records nothing, not even the profile, when nothing is installed into a profile that does not exist', () => {
    given().when(install()).then();
  });
});

describe('remove', () => {
  it('removes an element by name', () => {
    given(...threeInstalls).when(remove('greet')).then(removed(gen(4, hello, jq), { base: g3 }));
  });

  it('removes the elements holding a store path, also named by a path inside it', () => {
    given(...threeInstalls).when(remove(`${storePathOf(greet)}/bin/greet`)).then(removed(gen(4, hello, jq), { base: g3 }));
  });

  it('removes an element installed from a bare store path by that path', () => {
    given(...oneInstall, installed(gen(2, hello, pkga), { base: g1 }))
      .when(remove(storePathOf(pkga)))
      .then(removed(gen(3, hello), { base: gen(2, hello, pkga) }));
  });

  it('removes every element a case-insensitive regular expression matches, whole names only', () => {
    given(...threeInstalls).when(remove('GRE.*|j.')).then(removed(gen(4, hello), { base: g3 }));
  });

  it('refuses, removing nothing, when any argument matches no element', () => {
    const error = given(...threeInstalls).when(remove('greet', 'vim')).thenRefuses('GENLEDGER_NO_MATCH');
    expect(error.message).toBe("no installed package matches 'vim'");
  });

  it('refuses an argument that is no valid regular expression as a usage error', () => {
    given(...threeInstalls).when(remove('(')).thenRefuses('GENLEDGER_BAD_MATCHER', ExitCode.usage);
  });
});

describe('upgrade', () => {
  it('replaces the store paths and locked source of the named element, in place', () => {
    given(...twoInstalls).when(upgrade(hello213)).then(upgraded(gen(3, hello213, greet), { base: g2 }));
  });

  it('records nothing when the element already has those store paths and that source', () => {
    given(...twoInstalls).when(upgrade(hello)).then();
  });

  it('refuses an element that is not installed', () => {
    given(...twoInstalls).when(upgrade(jq)).thenRefuses('GENLEDGER_NO_MATCH');
  });
});

describe('set-priority', () => {
  it('changes the priority of the named element as a new generation', () => {
    given(...twoInstalls)
      .when(setPriority('greet', 3))
      .then(priorityChanged(gen(3, hello, prioritised(greet, 3)), { base: g2 }, 'greet'));
  });

  it('records nothing when the element already has that priority', () => {
    given(...twoInstalls).when(setPriority('greet', 5)).then();
  });

  it('refuses an element that is not installed', () => {
    given(...twoInstalls).when(setPriority('jq', 3)).thenRefuses('GENLEDGER_NO_MATCH');
  });
});

describe('a change compared with the highest generation (spec 5.3 step 1)', () => {
  it('after a rollback, reuses the highest generation when it has the same profile path, and only switches to it', () => {
    const after = given(...threeInstalls, switched(3, 2, 'rollback')).when(install(jq)).then(installed(g3, { base: g2, created: false }));
    expect([after.current, after.highestCreated, live(after)]).toEqual([3, 3, [1, 2, 3]]);
    expect(after.switches.at(-1)).toMatchObject({ from: 2, to: 3 });
  });

  it('creates a new generation when only a lower generation has that profile path', () => {
    const after = given(...threeInstalls).when(remove('greet', 'jq')).then(removed(gen(4, hello), { base: g3 }));
    expect(after.generations[4]?.profilePath).toBe(after.generations[1]?.profilePath);
  });

  it('numbers a new generation above a deleted highest one, even for its profile path', () => {
    given(...threeInstalls, switched(3, 2, 'rollback'), generationsDeleted(['3'], 3))
      .when(install(jq))
      .then(installed(gen(4, hello, greet, jq), { base: g2 }));
  });
});

describe('rollback', () => {
  it('goes to the largest existing generation below the current one, over deleted ones', () => {
    given(...threeInstalls, generationsDeleted(['2'], 2)).when(rollback()).then(switched(3, 1, 'rollback'));
  });

  it('from generation 1 goes to the empty generation 0, bringing it into existence', () => {
    const after = given(...oneInstall).when(rollback()).then(switched(1, 0, 'rollback', { createsEmpty: true }));
    expect(after.current).toBe(0);
    expect(after.generations[0]).toMatchObject({ manifest: emptyManifest, profilePath: profilePathOf(emptyManifest, 2), deleted: false });
  });

  it('goes to an empty generation 0 that still exists without making it again', () => {
    given(...oneInstall, switched(1, 0, 'rollback', { createsEmpty: true }), switched(0, 1, 'switch')).when(rollback()).then(switched(1, 0, 'rollback'));
  });

  it('refuses from the empty generation 0, with Nix’s message', () => {
    const error = given(...oneInstall, switched(1, 0, 'rollback', { createsEmpty: true })).when(rollback()).thenRefuses('GENLEDGER_NO_OLDER_GENERATION');
    expect(error.message).toBe('no profile version older than the current (0) exists');
  });

  it('refuses on a profile with no generation, recording nothing', () => {
    given().when(rollback()).thenRefuses('GENLEDGER_NO_OLDER_GENERATION');
  });

  it('with --to goes to that generation, a newer one included', () => {
    given(...threeInstalls, switched(3, 1, 'rollback')).when(rollback(3)).then(switched(1, 3, 'rollback'));
  });

  it('never builds a profile path to switch to a generation that exists', () => {
    const pathOf = vi.fn(profilePathOf);
    given(...threeInstalls).when(rollback(), { profilePathOf: pathOf }).then(switched(3, 2, 'rollback'));
    expect(pathOf).not.toHaveBeenCalled();
  });
});

describe('switch-generation', () => {
  it('switches to a newer generation', () => {
    given(...threeInstalls, switched(3, 1, 'rollback')).when(switchGeneration(3)).then(switched(1, 3, 'switch'));
  });

  it('switches to the empty generation 0, bringing it into existence', () => {
    given(...threeInstalls).when(switchGeneration(0)).then(switched(3, 0, 'switch', { createsEmpty: true }));
  });

  it.each([
    ['that never existed', 4],
    ['that was deleted', 2],
  ])('refuses a generation %s', (_, n) => {
    const error = given(...threeInstalls, generationsDeleted(['2'], 2)).when(switchGeneration(n)).thenRefuses('GENLEDGER_NO_SUCH_GENERATION');
    expect(error.message).toBe(`profile version ${n} does not exist`);
  });
});

describe('undo', () => {
  const rolledBackThenInstalled = [...threeInstalls, switched(3, 2, 'rollback'), installed(gen(4, hello, greet, vim), { base: g2 })];

  it('goes back to what was current before the last switch, even after a rollback and an install', () => {
    given(...rolledBackThenInstalled).when(undo).then(switched(4, 2, 'undo'));
  });

  it('undoes an undo, like cd -', () => {
    given(...rolledBackThenInstalled, switched(4, 2, 'undo')).when(undo).then(switched(2, 4, 'undo'));
  });

  it('refuses when the generation it would go back to was deleted since it was left', () => {
    given(...rolledBackThenInstalled, generationsDeleted(['2'], 2)).when(undo).thenRefuses('GENLEDGER_UNDO_TARGET_DELETED');
  });

  it('undoes the first install into the empty generation 0', () => {
    given(...oneInstall).when(undo).then(switched(1, 0, 'undo', { createsEmpty: true }));
  });

  it('refuses when the profile has never switched', () => {
    given().when(undo).thenRefuses('GENLEDGER_NOTHING_TO_UNDO');
  });
});

describe('restore', () => {
  const secondDeleted = [...threeInstalls, generationsDeleted(['2'], 2)];

  it('rebuilds a deleted generation as a new one, with the profile path it had', () => {
    const after = given(...secondDeleted).when(restore(2)).then(restored(gen(4, hello, greet), { base: g3 }, 2));
    expect(after.generations[4]?.profilePath).toBe(after.generations[2]?.profilePath);
    expect([after.current, after.generations[2]?.deleted]).toEqual([4, true]);
  });

  it('rebuilds it in the manifest version it had, not the one asked for now', () => {
    given(...secondDeleted).when(restore(2), { manifestVersion: 3 }).then(restored(gen(4, hello, greet), { base: g3, manifestVersion: 2 }, 2));
  });

  it('refuses a generation that still exists', () => {
    given(...secondDeleted).when(restore(1)).thenRefuses('GENLEDGER_GENERATION_EXISTS');
  });

  it('refuses a generation that never existed', () => {
    given(...secondDeleted).when(restore(7)).thenRefuses('GENLEDGER_NO_SUCH_GENERATION');
  });
});

describe('delete-generations', () => {
  const atThree = [...fiveInstalls, switched(5, 3, 'switch')];

  it('deletes the listed generations that exist and ignores the others', () => {
    const after = given(...fiveInstalls).when(deleteGenerations('3', '1', '9')).then(generationsDeleted(['3', '1', '9'], 1, 3));
    expect(live(after)).toEqual([2, 4, 5]);
  });

  it('refuses the whole list, deleting nothing, when it names the current generation', () => {
    const error = given(...fiveInstalls).when(deleteGenerations('1', '5')).thenRefuses('GENLEDGER_DELETE_CURRENT_GENERATION');
    expect(error.message).toBe("cannot delete the current generation 5 of profile 'default'");
  });

  it('records nothing when no listed generation exists any more', () => {
    given(...fiveInstalls, generationsDeleted(['2'], 2)).when(deleteGenerations('2', '9')).then();
  });

  it('old deletes every generation but the current one, newer ones included', () => {
    const after = given(...atThree).when(deleteGenerations('old')).then(generationsDeleted(['old'], 1, 2, 4, 5));
    expect(live(after)).toEqual([3]);
  });

  it('+N keeps the current generation, the N-1 below it and every newer one', () => {
    given(...atThree).when(deleteGenerations('+2')).then(generationsDeleted(['+2'], 1));
    given(...fiveInstalls).when(deleteGenerations('+2')).then(generationsDeleted(['+2'], 1, 2, 3));
  });

  it('+N deletes nothing when the profile is at the empty generation 0', () => {
    given(...threeInstalls, switched(3, 0, 'switch', { createsEmpty: true })).when(deleteGenerations('+1')).then();
  });

  describe('Nd', () => {
    const now = T0;

    it('keeps the newest generation older than the cutoff, active at that time, and deletes the older ones', () => {
      given(...aged(now)).when(deleteGenerations('30d'), { now }).then(generationsDeleted(['30d'], 1));
      given(...aged(now)).when(deleteGenerations('10d'), { now }).then(generationsDeleted(['10d'], 1, 2));
    });

    it('measures the cutoff from the injected now, not the clock', () => {
      given(...aged(now)).when(deleteGenerations('30d'), { now: now + 20 * DAY }).then(generationsDeleted(['30d'], 1, 2));
    });

    it('never deletes the current generation, however old', () => {
      given(...aged(now), at(now, switched(5, 1, 'rollback'))).when(deleteGenerations('10d'), { now }).then(generationsDeleted(['10d'], 2));
    });

    it('deletes nothing when at most one generation is older than the cutoff', () => {
      given(...aged(now)).when(deleteGenerations('36d'), { now }).then();
    });
  });

  it.each(['+0', '0d', 'x', '3d4'])('refuses the spec %s as a usage error', (spec) => {
    given(...fiveInstalls).when(deleteGenerations(spec)).thenRefuses('GENLEDGER_BAD_GENERATION_SPEC', ExitCode.usage);
  });
});

describe('the verified nix-env sequence of spec 5.8 (vector 13.7), as commands', () => {
  /** Six distinct store paths; each install of one gives a new profile path, as each `nix-env --set` did. */
  const [a, b, c, d, e, f] = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => pkg(`pkg${name}`, '1.0', { plain: true })) as Package[] as [Package, Package, Package, Package, Package, Package];
  type Step = { when: string; command: ProfileCommand } & (
    | { then: { events: string[]; live: number[]; current: number } }
    | { refused: ErrorCode }
  );
  const steps: Step[] = [
    { when: 'install a', command: install(a), then: { events: ['ProfileCreated', 'PackagesInstalled'], live: [1], current: 1 } },
    { when: 'install b', command: install(b), then: { events: ['PackagesInstalled'], live: [1, 2], current: 2 } },
    { when: 'install c', command: install(c), then: { events: ['PackagesInstalled'], live: [1, 2, 3], current: 3 } },
    { when: 'install d', command: install(d), then: { events: ['PackagesInstalled'], live: [1, 2, 3, 4], current: 4 } },
    { when: 'install e', command: install(e), then: { events: ['PackagesInstalled'], live: [1, 2, 3, 4, 5], current: 5 } },
    { when: 'install e again', command: install(e), then: { events: [], live: [1, 2, 3, 4, 5], current: 5 } },
    { when: 'rollback', command: rollback(), then: { events: ['GenerationSwitched'], live: [1, 2, 3, 4, 5], current: 4 } },
    { when: 'delete 3', command: deleteGenerations('3'), then: { events: ['GenerationsDeleted'], live: [1, 2, 4, 5], current: 4 } },
    { when: 'rollback over the gap', command: rollback(), then: { events: ['GenerationSwitched'], live: [1, 2, 4, 5], current: 2 } },
    { when: 'install f', command: install(f), then: { events: ['PackagesInstalled'], live: [1, 2, 4, 5, 6], current: 6 } },
    { when: 'switch to 4', command: switchGeneration(4), then: { events: ['GenerationSwitched'], live: [1, 2, 4, 5, 6], current: 4 } },
    { when: 'delete +2', command: deleteGenerations('+2'), then: { events: ['GenerationsDeleted'], live: [2, 4, 5, 6], current: 4 } },
    { when: 'delete the current 4', command: deleteGenerations('4'), refused: 'GENLEDGER_DELETE_CURRENT_GENERATION' },
    { when: 'delete old', command: deleteGenerations('old'), then: { events: ['GenerationsDeleted'], live: [4], current: 4 } },
  ];

  it('gives the generations and current generation real Nix gave, step by step', () => {
    const history: Dated[] = [];
    for (const step of steps) {
      const scenario = given(...history).when(step.command);
      if ('refused' in step) {
        scenario.thenRefuses(step.refused);
        continue;
      }
      const { events, after } = scenario.decided();
      expect({ events: events.map((event) => event.type), live: live(after), current: after.current }, step.when).toEqual(step.then);
      history.push(...events.map((event) => at(T0 + history.length * 60_000, event)));
    }
    const end = given(...history).state;
    expect(end.generations[4]?.manifest, 'the generation left').toEqual(manifestOf(gen(4, a, b, c, d)));
    expect(end.generations[6]?.manifest, 'the one installed after rolling back to 2').toEqual(manifestOf(gen(6, a, b, f)));
    expect([end.generations[3]?.deleted, end.generations[3]?.manifest], 'a deleted one, still known').toEqual([true, manifestOf(gen(3, a, b, c))]);
  });
});

describe('wipe-history', () => {
  it('without --older-than deletes every generation but the current one', () => {
    given(...fiveInstalls, switched(5, 3, 'switch')).when(wipeHistory()).then(historyWiped([1, 2, 4, 5]));
  });

  it('with --older-than deletes what delete-generations Nd would, and records the spec', () => {
    given(...aged(T0)).when(wipeHistory('10d'), { now: T0 }).then(historyWiped([1, 2], '10d'));
  });

  it('records nothing when only the current generation is left', () => {
    given(...oneInstall).when(wipeHistory()).then();
  });

  it('refuses an --older-than that is not Nd as a usage error', () => {
    given(...fiveInstalls).when(wipeHistory('30')).thenRefuses('GENLEDGER_BAD_GENERATION_SPEC', ExitCode.usage);
  });
});

describe('collisions', () => {
  it('are found by buildenv while the profile path is computed, so decide refuses with its error and records nothing', () => {
    const collision = new CollisionError({ fileA: `${storePathOf(hello213)}/bin/hello`, fileB: `${storePathOf(hello)}/bin/hello`, packageA: storePathOf(hello213), packageB: storePathOf(hello), priority: 5 });
    const error = given(...oneInstall)
      .when(install(hello213), {
        profilePathOf: () => {
          throw collision;
        },
      })
      .thenRefuses('GENLEDGER_COLLISION');
    expect(error).toBe(collision);
  });
});
