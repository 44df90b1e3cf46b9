/**
 * Runs Nix's own command-line tool as a child process, on one store, with
 * the user's environment (so NIX_CONFIG, NIX_PATH, the registry and the
 * user's nix.conf apply exactly as when they run `nix` themselves). Every
 * call starts a process, which is why callers batch what they ask.
 *
 * Nix's failures become one GenledgerError: GENLEDGER_NIX_COMMAND (refused,
 * exit 1) whose message is Nix's first `error:` line, colours removed, so
 * the user sees what Nix said without its multi-line trace; a missing `nix`
 * is GENLEDGER_NIX_NOT_FOUND.
 */
import { spawn } from 'node:child_process';
import { refused } from '../errors.js';
import type { GenledgerError } from '../errors.js';

/** Flakes and the new CLI are experimental in Nix 2.8: enabled per call, the user's configuration untouched. */
const experimentalFeatures = ['--extra-experimental-features', 'nix-command flakes'];

export interface NixCommandOptions {
  /** What Nix should open, as `--store` takes it (NixStoreTarget.cliStoreUri). */
  readonly storeUri: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative flake references (`.#hello`) are Nix's to resolve against it. */
  readonly cwd: string;
}

export interface NixCommandResult {
  readonly stdout: string;
  readonly stderr: string;
}

export function runNixCommand(args: readonly string[], options: NixCommandOptions): Promise<NixCommandResult> {
  const argv = [...experimentalFeatures, '--store', options.storeUri, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn('nix', argv, { env: definedOnly(options.env), cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => void (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => void (stderr += text));
    child.on('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? nixNotFound() : error));
    child.on('close', (status, signal) => {
      if (status === 0) resolve({ stdout, stderr });
      else reject(nixFailed(args, stderr, status, signal));
    });
  });
}

/** Nix's first `error:` line, without ANSI codes; null when it printed none. */
export function firstNixError(stderr: string): string | null {
  const line = stripAnsi(stderr)
    .split('\n')
    .map((text) => text.trim())
    .find((text) => text.startsWith('error:'));
  return line === undefined ? null : line.slice('error:'.length).trim();
}

function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}

/** Names the failed call by its subcommand (`nix profile install`), the words before its first option. */
function nixFailed(args: readonly string[], stderr: string, status: number | null, signal: NodeJS.Signals | null): GenledgerError {
  const said = firstNixError(stderr) ?? (signal === null ? `it exited with status ${status}` : `it was killed by ${signal}`);
  const firstOption = args.findIndex((arg) => arg.startsWith('-'));
  const command = ['nix', ...args.slice(0, firstOption < 0 ? args.length : firstOption)].join(' ');
  return refused('GENLEDGER_NIX_COMMAND', `${command} failed: ${said}`, 'run the same nix command yourself to see all Nix says');
}

function nixNotFound(): GenledgerError {
  return refused('GENLEDGER_NIX_NOT_FOUND', "Nix's command 'nix' was not found on PATH", 'install Nix (Debian: apt-get install nix-bin) or add it to PATH');
}

function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) result[name] = value;
  return result;
}
