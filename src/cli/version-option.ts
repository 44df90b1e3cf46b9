/**
 * `genledger --version` (`-V`): the version, and the store the home records
 * (embedded or Nix, and where), read from the home's copy of its store
 * record (store-record-copy.ts). It never opens the database: it neither
 * waits for another command's lock nor creates a home. A home that has no
 * copy yet (one last written by an older genledger) is said to be unknown
 * rather than guessed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import type { Command } from 'commander';
import { resolveStateHome } from '../app/session/state-home.js';
import type { StoreConfig } from '../app/session/store-config.js';
import { readStoreRecordCopy } from '../app/session/store-record-copy.js';
import { version } from '../version.js';
import type { World } from '../world.js';

export function addVersionOption(program: Command, world: World): Command {
  program.option('-V, --version', 'print the version and the store the home uses');
  program.on('option:version', () => {
    world.stdout.write(`genledger ${version}\n${storeLine(world, program.opts<{ home?: string }>().home)}\n`);
    throw new CommanderError(0, 'commander.version', version);
  });
  return program;
}

function storeLine(world: World, homeOption: string | undefined): string {
  let root: string;
  try {
    root = resolveStateHome(homeOption, world).root;
  } catch {
    return 'store: no state home (neither --home, GENLEDGER_HOME, XDG_STATE_HOME nor HOME is set)';
  }
  const recorded = readStoreRecordCopy(root);
  if (recorded !== null) return `store: ${describe(recorded)} (recorded by the home ${root})`;
  if (!existsSync(join(root, 'home.json')) && !existsSync(join(root, 'db'))) {
    return `store: none recorded: there is no home at ${root} yet; a new one uses the embedded store unless given --store nix`;
  }
  return 'store: not known without opening the database (the next genledger command on this home notes it for --version)';
}

function describe(config: StoreConfig): string {
  if (config.backend === 'nix') {
    const which = config.nixStore === null || config.nixStore === undefined ? 'nix, the store Nix chooses' : `nix:${config.nixStore}`;
    return `${which}, ${config.storeDir}${config.storeRoot === null ? '' : ` under ${config.storeRoot}`}`;
  }
  return `embedded, ${config.storeDir}${config.storeRoot === null ? '' : ` under ${config.storeRoot}`}`;
}
