/**
 * The system configuration a PATH argument names: a store path, or a link
 * (like nixos-rebuild's `result`) whose chain ends in the store, must be
 * valid; a local directory is added to the store, as `nix-store --add`
 * would. A configuration is a directory. Under --dry-run nothing is added:
 * the path the directory would get is computed, and its files are read
 * from the directory itself until then.
 */
import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { GenledgerError, refused } from '../../errors.js';
import { hashPath } from '../../store/nar-writer.js';
import { baseNameOf } from '../../store/store-add.js';
import { checkStorePathName } from '../../store/store-path-name.js';
import type { Session } from '../session/session-context.js';

export interface ResolvedSystemPath {
  readonly systemPath: string;
  /** Where its files can be read now: its place in the store, or (dry run) the source directory. */
  readonly contents: string;
}

export async function resolveSystemPath(session: Session, argument: string, dryRun: boolean): Promise<ResolvedSystemPath> {
  const absolute = resolve(session.world.cwd, argument);
  if (absolute.startsWith(`${session.store.location.logicalDir}/`) || linksIntoStore(session, argument)) {
    const resolved = await storePathArgument(session, argument);
    if (!isDirectory(resolved.contents)) throw notASystem(argument);
    return resolved;
  }
  const directory = existing(argument, absolute);
  if (!isDirectory(directory)) throw notASystem(argument);
  return addDirectory(session, directory, baseNameOf(absolute), dryRun);
}

async function storePathArgument(session: Session, argument: string): Promise<ResolvedSystemPath> {
  const systemPath = session.store.resolveArgument(argument, session.world.cwd);
  if (!(await session.store.isValid(systemPath))) {
    throw refused('GENLEDGER_NOT_VALID', `'${argument}' names ${systemPath}, which is not in the store`, 'add it with genledger store add, or give the directory itself');
  }
  return { systemPath, contents: session.store.location.physical(systemPath) };
}

async function addDirectory(session: Session, directory: string, name: string, dryRun: boolean): Promise<ResolvedSystemPath> {
  const { store, world } = session;
  if (dryRun) {
    checkStorePathName(name);
    const systemPath = store.storeDir.makeSourcePath(hashPath(directory).narHash, [], false, name);
    return { systemPath, contents: (await store.isValid(systemPath)) ? store.location.physical(systemPath) : directory };
  }
  const info = await store.addPath(directory, { name, pid: world.pid, now: world.now() });
  return { systemPath: info.path, contents: store.location.physical(info.path) };
}

function linksIntoStore(session: Session, argument: string): boolean {
  try {
    session.store.resolveArgument(argument, session.world.cwd);
    return true;
  } catch (error) {
    if (error instanceof GenledgerError && error.code === 'GENLEDGER_NOT_A_STORE_PATH') return false;
    throw error;
  }
}

/** The real directory behind the argument, links followed: what the user means to add. */
function existing(argument: string, absolute: string): string {
  try {
    return realpathSync(absolute);
  } catch {
    throw refused('GENLEDGER_NOT_FOUND', `'${argument}' does not exist`);
  }
}

function notASystem(argument: string): GenledgerError {
  return refused(
    'GENLEDGER_NOT_A_SYSTEM',
    `'${argument}' is not a directory, so it cannot be a system configuration`,
    'give the directory of a configuration (a NixOS toplevel), or a store path or a link to one',
  );
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
