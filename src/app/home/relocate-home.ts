/**
 * `genledger relocate`: record that a home was moved to where it now is.
 * The marker changes, and that is all a move needs when the store lies
 * outside the home (its paths name the store's own directory), and the
 * projection at the new place (the indirect GC roots name profiles by
 * their absolute paths). A store
 * inside the home can never move: its paths hash its directory, so every
 * one of them would change; such a home is refused, pointing to export and
 * import. A copy is refused too: while the old root still holds a home
 * with the same id, two homes would share one store's garbage collection.
 */
import { refused } from '../../errors.js';
import { writeCheckpoint } from '../session/checkpoint.js';
import { readHomeMarker, writeHomeMarker } from '../session/home-marker.js';
import { replay } from '../session/replay.js';
import type { HomeMarker } from '../session/home-marker.js';
import { storeInsideHome } from '../session/home-guard.js';
import type { Session } from '../session/session-context.js';
import { readStoreConfig } from '../session/store-config.js';

export interface Relocation {
  readonly from: string;
  readonly to: string;
  /** false when the home was already recorded where it is */
  readonly moved: boolean;
}

export async function relocateHome(session: Session): Promise<Relocation> {
  const root = session.home.root;
  const marker = session.homeStatus.marker;
  if (marker === null || marker.root === root) return { from: root, to: root, moved: false };
  if (storeInsideHome(await readStoreConfig(session.database.db), marker.root)) {
    throw refused(
      'GENLEDGER_HOME_NOT_RELOCATABLE',
      `this home's store lies inside it (under ${marker.root}): a store's paths hash its directory, so it can never move`,
      `move the home back to ${marker.root}; or there, export the profiles (genledger export --to DIR --with-store) and import them into a new home (genledger --home NEW import DIR)`,
    );
  }
  if (sameHomeAt(marker)) {
    throw refused(
      'GENLEDGER_HOME_COPIED',
      `the home at ${marker.root} still exists with this home's id: this is a copy, not a move`,
      'two homes must not share one ledger and store; remove one of them, or export the profiles and import them into a new home',
    );
  }
  writeHomeMarker(root, { ...marker, root });
  // The home's indirect GC roots name its profiles by absolute path: project them again at the new place.
  await replay(session, { dryRun: false });
  await writeCheckpoint(session.database, await session.ledger.lastSeq());
  return { from: marker.root, to: root, moved: true };
}

function sameHomeAt(marker: HomeMarker): boolean {
  try {
    return readHomeMarker(marker.root)?.id === marker.id;
  } catch {
    return false;
  }
}
