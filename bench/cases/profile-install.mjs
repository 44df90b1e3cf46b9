// Adding to and removing from profiles: one package into a profile of 50
// small ones, and building, growing and shrinking a 40,000-entry profile
// (20 packages of 2,000 files sharing bin/ and share/data/). Both sides
// must produce the same profile store path in every round.
import { join } from 'node:path';
import { BIG_PROFILE, SMALL_PROFILE } from '../fixtures/index.mjs';
import { nixSpec } from '../lib/nix.mjs';
import { genledgerGeneration, genledgerSide, nixNewGenerationSide, sameResult } from './sides.mjs';

/** Both sides of a command that creates generation `base + 1` of a profile (Nix's registered in chroot store `root`). */
function profileChange(context, { template, nixProfile, root, base, command }) {
  const [verb, ...operands] = command;
  const path = sameResult('the new profile store path');
  const nixArgs = ['profile', verb, '--store', root, '--profile', nixProfile, ...operands];
  return [
    genledgerSide(context, template, ['profile', verb, ...operands], (home) => path.record(genledgerGeneration(home, base + 1))),
    nixNewGenerationSide(context, { profile: nixProfile, root, base }, nixSpec(context.env, nixArgs), path.check),
  ];
}

export const profileInstallCases = [
  {
    id: 'install-small',
    title: `install 1 into a profile of ${SMALL_PROFILE}`,
    target: { startup: true },
    async sides(fixtures, context) {
      const extra = (await fixtures.smallPaths())[SMALL_PROFILE];
      const { profile, store } = await fixtures.nixSmall();
      return profileChange(context, { template: await fixtures.glSmall(), nixProfile: profile, root: store.root, base: 1, command: ['install', extra] });
    },
  },
  {
    id: 'build-big',
    title: `build a 40,000-entry profile (${BIG_PROFILE} packages of 2,000 files in shared dirs)`,
    target: { ratio: 0.5 },
    async sides(fixtures, context) {
      // Once the add/remove cases' fixture holds this very profile in the same chroot, Nix would find it valid and skip adding it.
      if (fixtures.nixBigProfileExists()) throw new Error('bench: build-big must run before the cases that keep the big profile');
      const paths = (await fixtures.bigPaths()).slice(0, BIG_PROFILE);
      const { root } = await fixtures.nixBigStore();
      const nixProfile = join(context.runDir('build-big-nix'), 'p');
      return profileChange(context, { template: await fixtures.glBigStore(), nixProfile, root, base: 0, command: ['install', ...paths] });
    },
  },
  {
    id: 'add-big',
    title: 'add 1 package to that profile',
    target: { ratio: 0.1 },
    async sides(fixtures, context) {
      const extra = (await fixtures.bigPaths())[BIG_PROFILE];
      const { profile, store } = await fixtures.nixBig();
      return profileChange(context, { template: await fixtures.glBig(), nixProfile: profile, root: store.root, base: 1, command: ['install', extra] });
    },
  },
  {
    id: 'remove-big',
    title: 'remove 1 from it',
    target: { ratio: 0.1 },
    async sides(fixtures, context) {
      const gone = (await fixtures.bigPaths())[5];
      const { profile, store } = await fixtures.nixBig();
      return profileChange(context, { template: await fixtures.glBig(), nixProfile: profile, root: store.root, base: 1, command: ['remove', gone] });
    },
  },
];
