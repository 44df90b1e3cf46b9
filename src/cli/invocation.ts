/**
 * Adapts commander actions to genledger's shape: an action receives the
 * World, the merged global and command options, and its positional
 * arguments, and may return an exit status (e.g. 4 from `verify`).
 */
import type { Command } from 'commander';
import type { World } from '../world.js';
import type { GlobalOptions } from '../app/session/session-options.js';

export type SetExitCode = (code: number) => void;

export interface CliContext {
  world: World;
  setExitCode: SetExitCode;
}

export interface Invocation<O = Record<string, unknown>> {
  world: World;
  options: GlobalOptions & O;
}

export function action<O, A extends unknown[]>(
  context: CliContext,
  run: (invocation: Invocation<O>, ...args: A) => Promise<number | void>,
): (...commanderArgs: unknown[]) => Promise<void> {
  return async (...commanderArgs) => {
    const command = commanderArgs[commanderArgs.length - 1] as Command;
    const positional = commanderArgs.slice(0, -2) as A;
    const options = command.optsWithGlobals() as GlobalOptions & O;
    const status = await run({ world: context.world, options }, ...positional);
    if (typeof status === 'number') context.setExitCode(status);
  };
}
