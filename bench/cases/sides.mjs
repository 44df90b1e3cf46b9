// The two sides of a case, as the interleaved runner wants them: how each
// resets its state before a timed run and undoes the run after it.
// genledger: a fresh copy of a prepared home per run, removed afterwards.
// Nix: runs on prepared profiles; whatever a run created (a generation
// link, its store path in a chroot store) is removed again, and the
// profile link put back.
import { readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { restoreHome } from '../lib/genledger.mjs';
import { openAndClose } from '../lib/ledger-api.mjs';
import { deleteFromChroot, switchProfile } from '../lib/nix.mjs';
import { removeTree } from '../lib/scratch.mjs';

/**
 * @typedef {import('../lib/interleave.mjs').Side} Side
 * @typedef {{ env: NodeJS.ProcessEnv, runDir: (name: string) => string, genledgerSpec: (home: object, args: string[]) => import('../lib/interleave.mjs').Spec }} CaseContext
 */

/**
 * genledger `args` on a fresh copy of `template` each run. `check` sees
 * the run's home and output (before the copy is removed). With
 * `openedBefore`, the copy's database is opened once, untimed, before the
 * run: a database copied afresh has its LevelDB tables checked on its first
 * open (a one-time cost, measured by its own case), which a home in use
 * has long paid.
 * @param {CaseContext} context
 * @returns {Side}
 */
export function genledgerSide(context, template, args, check, { openedBefore = false } = {}) {
  let home;
  return {
    prepare: async () => {
      home = restoreHome(template);
      if (openedBefore) await openAndClose(join(home.home, 'db'));
      return context.genledgerSpec(home, args);
    },
    finish: (result) => {
      check?.(home, result);
      removeTree(home.dir);
    },
  };
}

/**
 * A Nix command that creates generation `base + 1` of `profile`, building
 * into chroot store `root`; after each run the new link is removed, the
 * profile switched back to `base` (or removed, for 0) and the new store
 * path deleted, so the next run builds it again. `check` sees that path.
 * @returns {Side}
 */
export function nixNewGenerationSide(context, { profile, root, base }, spec, check) {
  return {
    prepare: () => spec,
    finish: () => {
      const link = `${profile}-${base + 1}-link`;
      const path = readlinkSync(link);
      check?.(path);
      rmSync(link);
      if (base === 0) rmSync(profile);
      else switchProfile(profile, base);
      deleteFromChroot(context.env, root, path);
    },
  };
}

/** A Nix command that only moves the profile link (rollback): put back on `current` after each run. */
export function nixSwitchSide(profile, current, spec) {
  return { prepare: () => spec, finish: () => switchProfile(profile, current) };
}

/**
 * A command that changes nothing, or whose changes `restore` undoes.
 * @param {import('../lib/interleave.mjs').Spec} spec
 * @param {{ restore?: () => void, check?: (result: import('../lib/measure.mjs').Timed) => void }} [hooks]
 */
export function plainSide(spec, { restore, check } = {}) {
  return {
    prepare: () => spec,
    finish: (result) => {
      check?.(result);
      restore?.();
    },
  };
}

/** The store path generation `number` of a genledger home's profile points at. */
export function genledgerGeneration(home, number) {
  return readlinkSync(`${home.profile}-${number}-link`);
}

/**
 * The same result from both sides of a round: genledger's (run first) is
 * recorded, Nix's must equal it, so a case never compares unlike work.
 */
export function sameResult(what) {
  let recorded;
  return {
    record: (value) => {
      recorded = value;
    },
    check: (value) => {
      if (value !== recorded) throw new Error(`bench: ${what} differs: genledger gave ${recorded}, Nix ${value}`);
    },
  };
}
