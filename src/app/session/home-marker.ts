/**
 * The home marker, `<home>/home.json` = `{ root, id, createdAt }`: where
 * the home was created (its absolute root), a random id, and when. A home
 * records absolute paths (its store, when that lies inside it), so a home
 * found at another root than its marker names was moved or copied, and
 * must not be used as if it were still at the old place: a copy would
 * collect garbage in the original's store.
 *
 * Written durably (fsync'd, renamed, directory fsync'd) when the home is
 * created, or on the first successful open of an older home that has none
 * (trust on first use). The id and time come from the system, not from the
 * World: the marker is not part of the ledger, and drawing on the World's
 * ids and clock would shift the events' ids and times that tests inject.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { integrityError } from '../../errors.js';
import { readFileIfPresent, writeFileDurably } from '../../fsx/durable-file.js';

export interface HomeMarker {
  readonly root: string;
  readonly id: string;
  readonly createdAt: string;
}

export function homeMarkerPath(root: string): string {
  return join(root, 'home.json');
}

export function readHomeMarker(root: string): HomeMarker | null {
  const path = homeMarkerPath(root);
  const text = readFileIfPresent(path);
  if (text === null) return null;
  let value: Partial<HomeMarker> | undefined;
  try {
    value = JSON.parse(text) as Partial<HomeMarker>;
  } catch {
    value = undefined;
  }
  if (typeof value?.root !== 'string' || typeof value.id !== 'string' || typeof value.createdAt !== 'string') {
    throw integrityError('GENLEDGER_HOME_MARKER_CORRUPT', `the home marker ${path} is damaged`, `write it again as {"root":"${root}","id":"<any id>","createdAt":"<time>"} if this home was created here`);
  }
  return { root: value.root, id: value.id, createdAt: value.createdAt };
}

export function writeHomeMarker(root: string, marker: HomeMarker): void {
  writeFileDurably(homeMarkerPath(root), `${JSON.stringify({ root: marker.root, id: marker.id, createdAt: marker.createdAt }, null, 2)}\n`);
}

export function newHomeMarker(root: string): HomeMarker {
  return { root, id: randomUUID(), createdAt: new Date().toISOString() };
}
