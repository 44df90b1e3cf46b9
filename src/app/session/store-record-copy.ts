/**
 * `<home>/store.json`: a copy of the store the home records in its database
 * (store-config.ts), so that `genledger --version` can name the backend
 * without opening LevelDB, which would wait for another command's lock (or
 * create a database where there is none). The database stays the record:
 * every command that may write the home rewrites the copy when it is
 * missing or differs, and a reader takes the copy as a statement about the
 * home, never as input to a change.
 */
import { join } from 'node:path';
import { readFileIfPresent, writeFileDurably } from '../../fsx/durable-file.js';
import type { StoreConfig } from './store-config.js';

const notPermitted = new Set(['EACCES', 'EPERM', 'EROFS']);

export function storeRecordCopyPath(root: string): string {
  return join(root, 'store.json');
}

export function keepStoreRecordCopy(root: string, config: StoreConfig): void {
  const text = `${JSON.stringify(config, null, 2)}\n`;
  if (readCopyText(root) === text) return;
  try {
    writeFileDurably(storeRecordCopyPath(root), text);
  } catch (error) {
    // A reader who may not write the home (an auditor) goes on without the copy: --version then says less.
    if (!notPermitted.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
}

/** The copy, or null when it is missing, unreadable or not a store record. */
export function readStoreRecordCopy(root: string): StoreConfig | null {
  const text = readCopyText(root);
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<StoreConfig>;
    if (typeof value.storeDir !== 'string' || (value.storeRoot !== null && typeof value.storeRoot !== 'string')) return null;
    if (value.backend !== undefined && value.backend !== 'embedded' && value.backend !== 'nix') return null;
    return value as StoreConfig;
  } catch {
    return null;
  }
}

function readCopyText(root: string): string | null {
  try {
    return readFileIfPresent(storeRecordCopyPath(root));
  } catch {
    return null;
  }
}
