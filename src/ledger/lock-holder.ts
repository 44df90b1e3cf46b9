/**
 * Who holds the database. LevelDB's own lock (the LOCK file inside the db
 * directory) says only that *someone* holds it; the holder record, a small
 * JSON file next to the directory (`<dir>.holder`), says who, so a waiting
 * command can name the pid, user, command and start time it waits for.
 *
 * The record is advisory: it is written after the lock was taken and
 * removed before the lock is released, so while it exists the lock's
 * holder wrote it, unless that process died without cleaning up; a record
 * naming a dead pid is therefore reported as stale, never trusted.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

export interface LockHolder {
  pid: number;
  user: string;
  command: string;
  since: string;
}

export type HolderState =
  | { kind: 'running'; holder: LockHolder }
  | { kind: 'stale'; holder: LockHolder }
  | { kind: 'unknown' };

export function holderPath(dir: string): string {
  return `${dir.replace(/\/+$/, '')}.holder`;
}

/** Writes the record atomically (temp file and rename), so a reader never sees half of it. */
export function writeHolder(path: string, holder: LockHolder): void {
  const temp = `${path}.${holder.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(holder), { mode: 0o644 });
  renameSync(temp, path);
}

export function removeHolder(path: string): void {
  rmSync(path, { force: true });
}

export function readHolder(path: string, isAlive: (pid: number) => boolean = pidIsAlive): HolderState {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return { kind: 'unknown' };
  }
  if (!isLockHolder(value)) return { kind: 'unknown' };
  return { kind: isAlive(value.pid) ? 'running' : 'stale', holder: value };
}

export function describeHolder(state: HolderState): string {
  switch (state.kind) {
    case 'running':
      return describe(state.holder);
    case 'stale':
      return `an unknown process (the holder record names ${describe(state.holder)}, which is no longer running)`;
    case 'unknown':
      return 'an unknown process (no holder record)';
  }
}

function describe(holder: LockHolder): string {
  return `pid ${holder.pid} (user ${holder.user}, command '${holder.command}', since ${holder.since})`;
}

function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isLockHolder(value: unknown): value is LockHolder {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return Number.isSafeInteger(record.pid) && typeof record.user === 'string' && typeof record.command === 'string' && typeof record.since === 'string';
}
