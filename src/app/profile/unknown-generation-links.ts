/**
 * A generation link on disk that the ledger never recorded (made by Nix, or
 * left after the database was lost) is never overwritten: it may be the
 * only root of a generation someone relies on. Profile commands and import
 * both check their planned links against the state the ledger knew before
 * them.
 */
import { basename, dirname } from 'node:path';
import { parseGenerationLinkName } from '../../domain/generation-link-name.js';
import type { ProfileState } from '../../domain/profile-state.js';
import { refused } from '../../errors.js';
import { readEntry } from '../../fsx/read-entry.js';
import type { FsOp } from '../../projection/fs-op.js';
import type { ProfileLocation } from './profile-location.js';

export function refuseOverwritingUnknownLinks(ops: readonly FsOp[], location: ProfileLocation, state: ProfileState): void {
  for (const op of ops) {
    if (op.op !== 'link' || dirname(op.path) !== location.dir) continue;
    const number = parseGenerationLinkName(location.base, basename(op.path));
    if (number === null || state.generations[number] !== undefined || readEntry(op.path).kind === 'missing') continue;
    throw refused(
      'GENLEDGER_UNKNOWN_GENERATION_LINK',
      `generation ${number} of profile '${location.stream}' exists on disk but not in the ledger (changed outside genledger)`,
      `record it first with 'genledger adopt -p ${location.stream}'`,
    );
  }
}
