/**
 * A generation's configuration revision as nixos-rebuild list-generations
 * reads it: by running `GENERATION/sw/bin/nixos-version
 * --configuration-revision`. An old nixos-version ignores the flag and
 * prints its version, so an answer equal to its plain output is no
 * revision. Null when there is none (nixos-rebuild prints ""), when the
 * program is missing or fails, or when it does not answer within a few
 * seconds: a read command must not hang on a configuration's program.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const TIMEOUT_MS = 5000;

export function readConfigurationRevision(contents: string): string | null {
  const program = join(contents, 'sw', 'bin', 'nixos-version');
  const revision = run(program, ['--configuration-revision']);
  if (revision === null || revision === '') return null;
  return revision === run(program, []) ? null : revision;
}

/** Its output without the trailing newlines, as the shell's $(…) gives it; null when it fails. */
function run(program: string, args: readonly string[]): string | null {
  try {
    return execFileSync(program, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: TIMEOUT_MS, killSignal: 'SIGKILL' }).replace(/\n+$/, '');
  } catch {
    return null;
  }
}
