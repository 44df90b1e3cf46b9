/**
 * Reading the events of a backup: a copy of an earlier `<home>/db`. The
 * backup itself is never opened, let alone changed: it is copied to a
 * temporary directory first, and that copy is opened (LevelDB writes even
 * when it only reads, and the layout may need bringing up to date). Every
 * event of every stream comes back verbatim, in global log order, each
 * entry and chain checked as the ledger reads them, together with the store
 * the backup's home recorded. Anything unreadable refuses the source.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGenledgerError, refused } from '../../errors.js';
import type { GenledgerError } from '../../errors.js';
import { openDatabase } from '../../ledger/database.js';
import type { StoredEvent } from '../../ledger/event.js';
import { createLevelLedger } from '../../ledger/level-ledger.js';
import type { World } from '../../world.js';
import type { StoreConfig } from '../session/store-config.js';

export interface BackupContents {
  /** Every event, in the order of the backup's global log. */
  readonly events: readonly StoredEvent[];
  /** The store the backup's home used, when it recorded one. */
  readonly store: StoreConfig | null;
}

export async function readBackup(dir: string, world: World): Promise<BackupContents> {
  requireDirectory(dir, 'backup');
  if (!existsSync(join(dir, 'CURRENT'))) throw unreadableSource('backup', dir, 'it is not a LevelDB database (it has no CURRENT file)');
  const scratch = mkdtempSync(join(tmpdir(), 'genledger-backup-'));
  try {
    const copy = join(scratch, 'db');
    try {
      cpSync(dir, copy, { recursive: true });
    } catch (error) {
      throw unreadableSource('backup', dir, `it cannot be copied (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const database = await openDatabase({ dir: copy, lockTimeoutMs: 0, holder: { pid: world.pid, user: world.actor.user, command: 'genledger recover', since: world.now().toISOString() } }).catch(
      (error: unknown) => {
        throw asUnreadable(error, dir);
      },
    );
    try {
      const events: StoredEvent[] = [];
      for await (const { event } of createLevelLedger(database.db).readLog({ upcast: false })) events.push(event);
      const storeText = await database.db.sublevel<string, string>('config', { valueEncoding: 'utf8' }).get('store');
      return { events, store: storeText === undefined ? null : (JSON.parse(storeText) as StoreConfig) };
    } catch (error) {
      throw asUnreadable(error, dir);
    } finally {
      await database.close();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A source must at least be a directory; checked before anything of the home is moved. */
export function requireDirectory(dir: string, kind: 'backup' | 'bundle'): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    throw unreadableSource(kind, dir, 'it does not exist');
  }
  if (!isDirectory) throw unreadableSource(kind, dir, 'it is not a directory');
}

export function unreadableSource(kind: 'backup' | 'bundle', dir: string, why: string): GenledgerError {
  return refused(
    'GENLEDGER_RECOVER_SOURCE',
    `cannot recover from the ${kind} ${dir}: ${why}`,
    kind === 'backup' ? 'name a copy of an earlier <home>/db directory, or leave it out' : 'name a directory written by genledger export --to DIR, or leave it out',
  );
}

function asUnreadable(error: unknown, dir: string): unknown {
  if (!isGenledgerError(error)) return error;
  return unreadableSource('backup', dir, error.message);
}
