/**
 * The options every command accepts (DESIGN.md, "CLI surface"), declared
 * to commander, and the colour setting derived from them and the
 * environment. Their type and the session's settings live with the
 * session (app/session/session-options.ts), which the CLI fills in.
 */
import type { Command } from 'commander';
import { defaultLockTimeoutSeconds } from '../app/session/session-options.js';
import type { GlobalOptions } from '../app/session/session-options.js';
import type { World } from '../world.js';

export function addGlobalOptions(program: Command): Command {
  return program
    .option('--home <dir>', 'state home (default: $GENLEDGER_HOME or $XDG_STATE_HOME/genledger)')
    .option('--store <backend>', "the store: 'embedded' (default, genledger's own), 'nix' (the Nix installation's, as Nix chooses it) or 'nix:URI'")
    .option('--store-dir <path>', 'logical store directory (default: <home>/store)')
    .option('--store-root <dir>', 'chroot-style store: paths named for --store-dir live under DIR')
    .option('--json', 'machine-readable output (read commands), JSON errors on stderr')
    .option('-p, --profile <name>', "profile name under <home>/profiles, or an absolute path (default 'profile'); with --store nix, a path as Nix's --profile (default: Nix's own profile)")
    .option('-m, --reason <text>', 'why: recorded in the event for the audit trail')
    .option('--quiet', 'no progress output')
    .option('--no-color', 'no ANSI colours (also NO_COLOR)')
    .option('--lock-timeout <seconds>', `how long to wait for the database lock (default ${defaultLockTimeoutSeconds})`)
    .option('--sign-key <file>', 'sign appended events with this Nix secret key (or GENLEDGER_SIGN_KEY)')
    .option('--debug', 'show stack traces of internal errors');
}

export function useColor(options: GlobalOptions, world: World): boolean {
  return options.color !== false && world.env.NO_COLOR === undefined && world.stdout.isTTY;
}
