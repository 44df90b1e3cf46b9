/**
 * Where genledger keeps its state: `--home`, else $GENLEDGER_HOME, else
 * `${XDG_STATE_HOME:-~/.local/state}/genledger`. Every file genledger
 * writes outside the store lives below this directory.
 */
import { join, resolve } from 'node:path';
import { usageError } from '../../errors.js';
import type { World } from '../../world.js';

export interface StateHome {
  readonly root: string;
  readonly db: string;
  readonly profiles: string;
  readonly gcroots: string;
  readonly run: string;
  readonly boot: string;
}

export function resolveStateHome(explicit: string | undefined, world: World): StateHome {
  const env = world.env;
  let root: string;
  if (explicit !== undefined) root = resolve(world.cwd, explicit);
  else if (env.GENLEDGER_HOME) root = resolve(world.cwd, env.GENLEDGER_HOME);
  else {
    const stateBase = env.XDG_STATE_HOME || (env.HOME ? join(env.HOME, '.local', 'state') : undefined);
    if (stateBase === undefined) {
      throw usageError('GENLEDGER_NO_HOME', 'cannot find a state home: neither --home, GENLEDGER_HOME, XDG_STATE_HOME nor HOME is set', 'pass --home DIR');
    }
    root = resolve(world.cwd, stateBase, 'genledger');
  }
  return stateHomeAt(root);
}

export function stateHomeAt(root: string): StateHome {
  return {
    root,
    db: join(root, 'db'),
    profiles: join(root, 'profiles'),
    gcroots: join(root, 'gcroots'),
    run: join(root, 'run'),
    boot: join(root, 'boot'),
  };
}
