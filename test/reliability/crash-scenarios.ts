/**
 * The mutating commands the crash tests kill, each with the home it starts
 * from and the fault steps it reaches. `crashAt` lists, per reached step,
 * the passes (`@N`) to die at: the first, one in the middle and the last of
 * the multi-entry steps. The counts were taken from the example packages
 * (hello 1.0 has 7 entries to copy, a two-package profile tree 9 to write;
 * a new generation passes the temp-link step 3 times: generation link, GC
 * root, profile link). A step a command never reaches is not in its map:
 * there the command must run to completion.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultStep } from '../../src/fault-injection.js';
import { ok, projectRoot } from './cli-runners.js';
import type { InProcessCli } from './cli-runners.js';

export interface CrashScenario {
  readonly name: string;
  /** Brings a fresh home to the state the command starts from; `work` holds a copy of examples/. */
  prepare(cli: InProcessCli, work: string): Promise<void>;
  command(work: string): string[];
  /** The events one successful run appends (in one batch: all or none land). */
  readonly events: readonly string[];
  readonly crashAt: Partial<Record<FaultStep, readonly number[]>>;
}

/** Steps after which the events are in the log (a profile command appends before it links; gc records its plan first). */
export const stepsAfterAppend: readonly FaultStep[] = ['after-append', 'between-temp-link-and-rename', 'during-gc', 'after-trash'];

/** A copy of examples/ (catalogs and package directories) that a scenario may change. */
export function copyExamples(work: string): void {
  cpSync(join(projectRoot, 'examples'), join(work, 'ex'), { recursive: true, verbatimSymlinks: true });
}

const catalog = (work: string) => join(work, 'ex', 'catalog.json');
const install = async (cli: InProcessCli, work: string, ...attrs: string[]) => {
  await ok(cli, 'profile', 'install', ...attrs.map((attr) => `${catalog(work)}#${attr}`));
};

const profileChange = { 'after-resolve': [1], 'after-build': [1], 'after-append': [1] } as const;

export const crashScenarios: readonly CrashScenario[] = [
  {
    name: 'first install into an empty home',
    prepare: async () => undefined,
    command: (work) => ['profile', 'install', `${catalog(work)}#hello`],
    events: ['ProfileCreated', 'PackagesInstalled'],
    crashAt: { ...profileChange, 'during-store-add': [1, 7], 'during-tree-build': [1, 4], 'between-temp-link-and-rename': [1, 3] },
  },
  {
    name: 'install of a catalog package',
    prepare: (cli, work) => install(cli, work, 'greet'),
    command: (work) => ['profile', 'install', `${catalog(work)}#hello`],
    events: ['PackagesInstalled'],
    crashAt: { ...profileChange, 'during-store-add': [1, 4, 7], 'during-tree-build': [1, 5, 9], 'between-temp-link-and-rename': [1, 2, 3] },
  },
  {
    name: 'install of a local directory',
    prepare: (cli, work) => install(cli, work, 'hello'),
    command: (work) => ['profile', 'install', join(work, 'ex', 'pkgs', 'figlet-lite-0.1')],
    events: ['PackagesInstalled'],
    crashAt: { ...profileChange, 'during-store-add': [1, 4, 7], 'during-tree-build': [3, 9], 'between-temp-link-and-rename': [1, 3] },
  },
  {
    name: 'remove',
    prepare: async (cli, work) => {
      await install(cli, work, 'greet');
      await install(cli, work, 'hello');
    },
    command: () => ['profile', 'remove', 'greet'],
    events: ['PackagesRemoved'],
    crashAt: { ...profileChange, 'during-tree-build': [1, 4], 'between-temp-link-and-rename': [1, 2, 3] },
  },
  {
    name: 'rollback',
    prepare: async (cli, work) => {
      await install(cli, work, 'greet');
      await install(cli, work, 'hello');
    },
    command: () => ['profile', 'rollback'],
    events: ['GenerationSwitched'],
    // Switching to an existing generation builds nothing and only moves the profile link.
    crashAt: { ...profileChange, 'between-temp-link-and-rename': [1] },
  },
  {
    name: 'upgrade',
    prepare: async (cli, work) => {
      await install(cli, work, 'hello', 'greet');
      cpSync(join(work, 'ex', 'catalog-next.json'), catalog(work));
    },
    command: () => ['profile', 'upgrade', 'hello'],
    events: ['PackagesUpgraded'],
    crashAt: { ...profileChange, 'during-store-add': [3], 'during-tree-build': [5], 'between-temp-link-and-rename': [2] },
  },
  {
    name: 'delete-generations',
    prepare: async (cli, work) => {
      await install(cli, work, 'greet');
      await install(cli, work, 'hello');
    },
    command: () => ['profile', 'delete-generations', 'old'],
    events: ['GenerationsDeleted'],
    // Deleting only unlinks: no tree, no temp link.
    crashAt: { ...profileChange },
  },
  {
    name: 'gc after a removal',
    prepare: async (cli, work) => {
      await install(cli, work, 'greet');
      await install(cli, work, 'hello');
      await ok(cli, 'profile', 'remove', 'greet');
      await ok(cli, 'profile', 'delete-generations', 'old');
    },
    command: () => ['gc'],
    events: ['GarbageCollected'],
    // Three dead paths: greet-2.1 and the profile store paths of generations 1 and 2; then all three in the trash.
    crashAt: { 'during-gc': [1, 2, 3], 'after-trash': [1] },
  },
  {
    name: 'store add of a directory',
    prepare: async () => undefined,
    command: (work) => ['store', 'add', join(work, 'ex', 'pkgs', 'hello-1.0')],
    events: [],
    crashAt: { 'during-store-add': [1, 4, 7] },
  },
];
