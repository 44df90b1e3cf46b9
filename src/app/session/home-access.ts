/**
 * Which homes a command may open, by what it does. Every command that opens
 * a home says whether it only reads (`read`) or may change it (`write`):
 *
 * - only a command that writes creates a home. A read command on a path
 *   where no ledger was ever started (no directory, or one without a
 *   marker, head file, profiles, store or database records) is refused
 *   with GENLEDGER_NO_HOME and creates nothing: an empty home would answer
 *   "no profiles", which hides a mistyped --home;
 * - a home this user may not write (an auditor's view of a shared
 *   profile's home) is read from a consistent copy of its database
 *   (database-copy.ts); a command that writes is refused there with
 *   GENLEDGER_HOME_READ_ONLY before it touches anything.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import { refused } from '../../errors.js';
import { hasLedgerOnDisk } from './home-guard.js';
import type { StateHome } from './state-home.js';

export type HomeAccess = 'read' | 'write';

export function homeExists(home: StateHome): boolean {
  return existsSync(home.root) && hasLedgerOnDisk(home);
}

/** The refusal of a read command on a path that holds no home. */
export function noHome(home: StateHome): Error {
  return refused('GENLEDGER_NO_HOME', `no genledger home at ${home.root}`, 'a command that changes something creates it (e.g. genledger profile install PACKAGE); or pass the right --home');
}

/** Whether this process may write the home (its root and its database directory); false only for an existing home it may not. */
export function homeWritable(home: StateHome): boolean {
  return [home.root, home.db].every((path) => !existsSync(path) || mayWrite(path));
}

export function homeReadOnly(home: StateHome): Error {
  return refused('GENLEDGER_HOME_READ_ONLY', `the genledger home at ${home.root} is read-only for this user`, "run the command as the home's owner; commands that only read (list, log, history, verify, ...) work here");
}

/** Refuses, before anything is read, a read-only home whose own files this user may not read either (they are created 0600). */
export function requireReadable(home: StateHome): void {
  for (const path of [join(home.root, 'home.json'), join(home.root, 'ledger-head.json'), home.db]) {
    try {
      if (existsSync(path)) accessSync(path, constants.R_OK);
    } catch {
      throw refused('GENLEDGER_DB_PERMISSION', `cannot read ${path}: permission denied`, `ask the home's owner for read access to it (e.g. chmod -R a+rX ${home.root})`);
    }
  }
}

function mayWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
