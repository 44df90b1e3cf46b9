/**
 * A profile changed outside genledger (`nix-env --rollback`, a link made
 * or deleted by hand) is never silently overwritten: a command decided on
 * the ledger's state would undo what the user did on disk. Every mutating
 * profile command checks the directory first and refuses, naming the
 * drift, unless the user asks to record it first (`--adopt`).
 */
import { hasDrift, profileDrift } from '../../domain/profile-drift.js';
import type { ProfileState } from '../../domain/profile-state.js';
import { refused } from '../../errors.js';
import { driftFacts } from './drift-report.js';
import { readProfileLinks } from '../nix-import/nix-profile-reader.js';
import type { ProfileLocation } from './profile-location.js';

export function refuseDrift(location: ProfileLocation, state: ProfileState): void {
  if (!state.exists) return;
  const drift = profileDrift(state, readProfileLinks(location));
  if (!hasDrift(drift)) return;
  const facts = driftFacts(location, drift);
  const more = facts.length > 1 ? ` (and ${facts.length - 1} more changes)` : '';
  throw refused('GENLEDGER_PROFILE_DRIFT', `${facts[0]?.fact ?? `profile '${location.stream}' differs from the ledger`}${more}: it was changed outside genledger`, `record it first with 'genledger adopt -p ${location.stream}', or run the command again with --adopt`);
}
