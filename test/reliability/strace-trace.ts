/**
 * Runs the built CLI under strace and reads back the system calls that
 * matter for durability order, in the order they were made: syncfs (from
 * the `sync -f` child), fsync/fdatasync, renames, symlinks, and writes to
 * the LevelDB log (fds traced through openat/close). A call strace splits
 * into `<unfinished ...>` and `<... resumed>` lines is placed at its start.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, projectRoot } from './cli-runners.js';

export interface TracedCall {
  readonly name: string;
  /** The quoted path arguments, in order. */
  readonly paths: readonly string[];
  /** For a write: the file its fd was opened as; for openat: the result fd's file. */
  readonly file?: string;
}

export const straceAvailable = spawnSync('strace', ['-V']).status === 0;

const SYSCALLS = 'fsync,fdatasync,syncfs,rename,renameat,renameat2,symlink,symlinkat,openat,close,write,writev,pwrite64,execve';

export function traceCli(home: string, args: readonly string[], traceFile: string): { status: number | null; calls: TracedCall[] } {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.startsWith('GENLEDGER_')) env[name] = value;
  const run = spawnSync('strace', ['-f', '-qq', '-s', '0', '-o', traceFile, '-e', `trace=${SYSCALLS}`, process.execPath, cliPath, '--home', home, ...args], { cwd: projectRoot, env, encoding: 'utf8' });
  return { status: run.status, calls: parseTrace(readFileSync(traceFile, 'utf8')) };
}

function parseTrace(text: string): TracedCall[] {
  const starts: Array<{ tid: string; text: string }> = [];
  const pending = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\d+)\s+(.*)$/.exec(line);
    if (match === null) continue;
    const [, tid, rest] = match as unknown as [string, string, string];
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(rest);
    if (resumed !== null) {
      const index = pending.get(tid);
      if (index === undefined) continue;
      pending.delete(tid);
      starts[index] = { tid, text: `${starts[index]?.text ?? ''}${resumed[1]}` };
    } else if (rest.endsWith('<unfinished ...>')) {
      pending.set(tid, starts.length);
      starts.push({ tid, text: rest.slice(0, -'<unfinished ...>'.length) });
    } else starts.push({ tid, text: rest });
  }
  // fds are per process; threads of node share them, and the `sync` children's own fds are never looked up.
  const syncChildren = new Set(starts.filter((s) => s.text.startsWith('execve("/usr/bin/sync"') || /^execve\("[^"]*\/sync"/.test(s.text)).map((s) => s.tid));
  const fds = new Map<string, string>();
  const calls: TracedCall[] = [];
  for (const { tid, text } of starts) {
    const call = /^(\w+)\((.*)\)\s*=\s*(-?\d+)/.exec(text);
    if (call === null) continue;
    const [, name, args, result] = call as unknown as [string, string, string, string];
    const paths = [...args.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] as string);
    const fd = /^(\d+)/.exec(args)?.[1];
    if (syncChildren.has(tid)) {
      if (name === 'syncfs') calls.push({ name, paths });
      continue;
    }
    if (name === 'openat' && Number(result) >= 0 && paths[0] !== undefined) fds.set(result, paths[0]);
    else if (name === 'close' && fd !== undefined) fds.delete(fd);
    else if (['write', 'writev', 'pwrite64', 'fsync', 'fdatasync'].includes(name) && fd !== undefined) calls.push({ name, paths, ...(fds.has(fd) ? { file: fds.get(fd) as string } : {}) });
    else if (name !== 'openat' && name !== 'close' && name !== 'execve') calls.push({ name, paths });
  }
  return calls;
}

/** A write to the LevelDB log of the home's database. */
export const isLevelLogWrite = (home: string) => (call: TracedCall) => ['write', 'writev', 'pwrite64'].includes(call.name) && call.file !== undefined && call.file.startsWith(join(home, 'db')) && call.file.endsWith('.log');

export const isSync = (call: TracedCall) => call.name === 'fsync' || call.name === 'fdatasync';

export const isRenameOnto = (test: (destination: string) => boolean) => (call: TracedCall) => call.name.startsWith('rename') && test(call.paths[call.paths.length - 1] ?? '');
