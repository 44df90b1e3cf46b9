// genledger with the Nix backend (`--store nix:URI`) against Nix itself,
// both on the same local store in the scratch dir (see
// ../fixtures/nix-backend.mjs): installing store paths and a flake package,
// building the 40,000-entry profile, rollback, list, and gc. genledger's
// side restores a saved state (home and profile links) before each run and
// deletes from the store what the run added; Nix's side resets its profile
// and deletes the same way, so both sides start every round alike and must
// produce the same profile store path (or delete as many paths).
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { BIG_PROFILE } from '../fixtures/index.mjs';
import { NIX_DEAD_PATHS, NIX_SMALL_BASE, addTrees, deleteFromStore, genledgerNixSpec, restoreState } from '../fixtures/nix-backend.mjs';
import { openAndClose } from '../lib/ledger-api.mjs';
import { nixSpec, switchProfile } from '../lib/nix.mjs';
import { removeTree } from '../lib/scratch.mjs';
import { nixNewGenerationSide, plainSide, sameResult } from './sides.mjs';

/** A local store of the suite's own is opened by `nix-daemon --stdio` and Nix's commands, which need root to write it. */
const needsRoot = () => (process.getuid?.() === 0 ? null : 'a local Nix store of its own needs root');

const lineCount = (text) => text.split('\n').filter((line) => line.trim() !== '').length;

/** `nix ARGS…` with flakes enabled too, as genledger's own Nix calls are. */
const nixWithFlakes = (env, args) => nixSpec(env, ['--extra-experimental-features', 'flakes', ...args]);

/**
 * genledger `args` on a fresh copy of `template` each run. With `created`,
 * the run made generation `created`: its store path goes to `check`, then
 * is deleted from the store once the state (whose links root it) is gone.
 * `before` runs untimed after the restore (the gc case adds its garbage).
 * The copy's database is opened once, untimed, first: a database copied
 * afresh has its LevelDB tables checked on its first open, which a home in
 * use has long paid (see genledgerSide).
 * @returns {import('../lib/interleave.mjs').Side}
 */
function genledgerNixSide(context, { store, env, template, args, created, check, before }) {
  let state;
  return {
    prepare: async () => {
      state = restoreState(template);
      await openAndClose(join(state.home, 'db'));
      before?.();
      return genledgerNixSpec(state, store, env, args, context.nodeOptions);
    },
    finish: (result) => {
      const path = created === undefined ? undefined : readlinkSync(`${state.profile}-${created}-link`);
      check?.(result, path, state);
      removeTree(state.dir);
      if (path !== undefined) deleteFromStore(store, env, path);
    },
  };
}

/** Both sides of an install that makes generation `base + 1`, the same store path on each. */
async function install(fixtures, context, { template, nixProfile, base, installables }) {
  const nb = fixtures.nixBackend;
  const store = await nb.store();
  const env = await nb.env();
  const path = sameResult('the new profile store path');
  return [
    genledgerNixSide(context, { store, env, template, args: ['profile', 'install', ...installables], created: base + 1, check: (_result, made) => path.record(made) }),
    nixNewGenerationSide(
      context,
      { profile: nixProfile, root: store.uri, base },
      nixWithFlakes(env, ['profile', 'install', '--store', store.uri, '--profile', nixProfile, ...installables]),
      path.check,
    ),
  ];
}

export const nixBackendCases = [
  {
    id: 'nix-install-small',
    title: `Nix store: install 1 store path into a profile of ${NIX_SMALL_BASE}`,
    target: { ratio: 1.0 },
    unavailable: needsRoot,
    async sides(fixtures, context) {
      const nb = fixtures.nixBackend;
      const extra = (await nb.smallPaths())[NIX_SMALL_BASE];
      return install(fixtures, context, { template: await nb.glSmall(), nixProfile: await nb.nixSmall(), base: 1, installables: [extra] });
    },
  },
  {
    id: 'nix-build-big',
    title: `Nix store: build a 40,000-entry profile (${BIG_PROFILE} packages of 2,000 files)`,
    target: { ratio: 1.0 },
    unavailable: needsRoot,
    async sides(fixtures, context) {
      const nb = fixtures.nixBackend;
      const paths = (await nb.bigPaths()).slice(0, BIG_PROFILE);
      const nixProfile = join(context.runDir('nix-build-big-nix'), 'p');
      return install(fixtures, context, { template: await nb.glEmpty(), nixProfile, base: 0, installables: paths });
    },
  },
  {
    id: 'nix-install-flake',
    title: `Nix store: install a flake package (path:DIR#hello, built) into a profile of ${NIX_SMALL_BASE}`,
    target: { ratio: 1.3 },
    unavailable: needsRoot,
    async sides(fixtures, context) {
      const nb = fixtures.nixBackend;
      return install(fixtures, context, { template: await nb.glSmall(), nixProfile: await nb.nixSmall(), base: 1, installables: [await nb.flake()] });
    },
  },
  {
    id: 'nix-rollback',
    title: 'Nix store: rollback (2 generations, 50 packages)',
    target: { overStartupMs: 60 },
    unavailable: needsRoot,
    async sides(fixtures, context) {
      const nb = fixtures.nixBackend;
      const store = await nb.store();
      const env = await nb.env();
      const profile = await nb.nixTwoGenerations();
      return [
        genledgerNixSide(context, { store, env, template: await nb.glTwoGenerations(), args: ['profile', 'rollback'], check: (_result, _path, state) => onFirstGeneration(state.profile) }),
        {
          prepare: () => nixWithFlakes(env, ['profile', 'rollback', '--store', store.uri, '--profile', profile]),
          finish: () => {
            onFirstGeneration(profile);
            switchProfile(profile, 2);
          },
        },
      ];
    },
  },
  {
    id: 'nix-list',
    title: 'Nix store: profile list (50 packages)',
    target: { overStartupMs: 60 },
    unavailable: needsRoot,
    async sides(fixtures, context) {
      const nb = fixtures.nixBackend;
      const store = await nb.store();
      const env = await nb.env();
      const profile = await nb.nixTwoGenerations();
      const lines = sameResult('the number of elements listed');
      return [
        genledgerNixSide(context, { store, env, template: await nb.glTwoGenerations(), args: ['profile', 'list'], check: (result) => lines.record(lineCount(result.stdout)) }),
        plainSide(nixWithFlakes(env, ['profile', 'list', '--store', store.uri, '--profile', profile]), { check: (result) => lines.check(lineCount(result.stdout)) }),
      ];
    },
  },
  {
    id: 'nix-gc',
    title: `Nix store: gc of ${NIX_DEAD_PATHS} dead paths (10 files each; 50 live)`,
    target: { ratio: 1.2 },
    unavailable: needsRoot,
    async sides(fixtures, context) {
      const nb = fixtures.nixBackend;
      const env = await nb.env();
      const { store, dead } = await nb.gcStore();
      const addGarbage = () => addTrees(store, env, dead);
      const deleted = sameResult('the number of store paths deleted');
      return [
        genledgerNixSide(context, { store, env, template: await nb.glGc(), args: ['--json', 'gc'], before: addGarbage, check: (result) => deleted.record(JSON.parse(result.stdout).deleted.length) }),
        {
          prepare: () => {
            addGarbage();
            return { file: 'nix-store', args: ['--store', store.uri, '--gc'], env };
          },
          finish: (result) => deleted.check(Number(/(\d+) store paths deleted/.exec(result.stdout + result.stderr)?.[1])),
        },
      ];
    },
  },
];

/** Rollback went to generation 1 (the profile link names its link). */
function onFirstGeneration(profile) {
  const target = readlinkSync(profile);
  if (target !== 'p-1-link') throw new Error(`bench: after rollback ${profile} points at ${target}, not p-1-link`);
}
