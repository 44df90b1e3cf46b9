// Moving through, listing and deleting long generation histories. Both
// profiles alternate between {A} and {A, B}; genledger's was written as
// events and projected, Nix's as generation links (see the fixtures).
import { writeGenerationLinks } from '../fixtures/nix-state.mjs';
import { nixSpec } from '../lib/nix.mjs';
import { genledgerSide, nixSwitchSide, plainSide, sameResult } from './sides.mjs';

const lineCount = (text) => text.split('\n').filter((line) => line.trim() !== '').length;

export const generationCases = [
  {
    id: 'rollback',
    title: 'rollback with 100 generations',
    target: { startup: true },
    async sides(fixtures, context) {
      const { profile } = await fixtures.nixGenerations(100);
      return [
        genledgerSide(context, await fixtures.glGenerations(100), ['profile', 'rollback']),
        nixSwitchSide(profile, 100, nixSpec(context.env, ['profile', 'rollback', '--profile', profile])),
      ];
    },
  },
  {
    id: 'list-generations',
    title: 'list-generations with 1,000 generations',
    target: { startup: true },
    async sides(fixtures, context) {
      const { profile } = await fixtures.nixGenerations(1000);
      const lines = sameResult('the number of generations listed');
      return [
        genledgerSide(context, await fixtures.glGenerations(1000), ['profile', 'list-generations'], (_home, result) => lines.record(lineCount(result.stdout))),
        plainSide({ file: 'nix-env', args: ['--list-generations', '-p', profile], env: context.env }, { check: (result) => lines.check(lineCount(result.stdout)) }),
      ];
    },
  },
  {
    id: 'history',
    title: 'history with 100 versions',
    target: { startup: true },
    async sides(fixtures, context) {
      const { profile } = await fixtures.nixGenerations(100);
      const versions = sameResult('the number of versions shown');
      const count = (text) => text.split('\n').filter((line) => line.startsWith('Version ')).length;
      return [
        genledgerSide(context, await fixtures.glGenerations(100), ['profile', 'history'], (_home, result) => versions.record(count(result.stdout))),
        plainSide(nixSpec(context.env, ['profile', 'history', '--profile', profile]), { check: (result) => versions.check(count(result.stdout)) }),
      ];
    },
  },
  {
    id: 'delete-generations',
    title: 'delete-generations old with 1,000 generations',
    target: { startup: true },
    async sides(fixtures, context) {
      const { profile } = await fixtures.nixGenerations(1000);
      const seed = await fixtures.nixSeed();
      return [
        genledgerSide(context, await fixtures.glGenerations(1000), ['profile', 'delete-generations', 'old']),
        plainSide({ file: 'nix-env', args: ['-p', profile, '--delete-generations', 'old'], env: context.env }, { restore: () => writeGenerationLinks(profile, 1000, seed) }),
      ];
    },
  },
];
