/**
 * `adopt -p PROFILE`: records what was changed in a profile directory
 * outside genledger (a `nix profile install` or `nix-env` run on it, links
 * made, deleted or retargeted by hand) as one ExternalChangeObserved event
 * carrying what was found: the new or changed generations with their store
 * paths and manifests read from disk, the deleted links and where the
 * profile link now points. The event is the adopter's (they saw and
 * recorded it); each generation keeps its link's mtime and owner. Store
 * paths Nix made are copied in from where they are, as import-nix does.
 * Afterwards the state matches the disk and `verify` reports no drift.
 * A concurrent writer makes it start over from fresh state, a few times.
 */
import { decideAdoption } from '../../domain/profile-adoption.js';
import type { ProfileDrift } from '../../domain/profile-drift.js';
import { hasDrift, profileDrift } from '../../domain/profile-drift.js';
import { profileEventVersions } from '../../domain/profile-events.js';
import type { ProfileState } from '../../domain/profile-state.js';
import { GenledgerError, refused } from '../../errors.js';
import type { NewEvent } from '../../ledger/event.js';
import type { FsOp } from '../../projection/fs-op.js';
import { envelope } from '../session/event-envelope.js';
import { carryOutCopies } from '../bundle/foreign-paths.js';
import type { PlannedCopy } from '../bundle/foreign-paths.js';
import { readProfileLinks } from '../nix-import/nix-profile-reader.js';
import { manifestLookup, planObservedCopies, planObservedProfile, projectObserved, readObservedManifests } from './observed-generations.js';
import type { ProfileLocation } from './profile-location.js';
import { foldProfile, loadProfileState } from './profile-stream.js';
import type { Session } from '../session/session-context.js';

export interface AdoptOutcome {
  readonly drift: ProfileDrift;
  readonly events: readonly NewEvent[];
  readonly copies: readonly PlannedCopy[];
  readonly ops: readonly FsOp[];
  readonly before: ProfileState;
  readonly after: ProfileState;
}

const maxAttempts = 3;

export async function adoptExternalChange(session: Session, location: ProfileLocation, options: { dryRun: boolean }): Promise<AdoptOutcome> {
  for (let attempt = 1; ; attempt++) {
    const before = await loadProfileState(session, location.stream, { save: !options.dryRun });
    if (!before.exists) {
      throw refused('GENLEDGER_NO_SUCH_PROFILE', `profile '${location.stream}' has no history in the ledger`, `to take over a profile Nix made, use genledger import-nix ${location.link}`);
    }
    const links = readProfileLinks(location);
    const drift = profileDrift(before, links);
    if (!hasDrift(drift)) return { drift, events: [], copies: [], ops: [], before, after: before };
    const found = new Set(drift.generations.filter((item) => item.kind !== 'vanished').map((item) => item.generation));
    const changed = links.generations.filter((link) => found.has(link.number));
    const manifests = await readObservedManifests(session, location.link, changed);
    const event = decideAdoption(before, links, drift, manifestLookup(manifests));
    const now = session.world.now();
    const events = [envelope(session.world, now, event, profileEventVersions[event.type], session.options.reason)];
    const after = foldProfile(events.map((e) => ({ ...e, stream: location.stream, version: before.version + 1, prev: null, hash: '' })), before);
    const copies = await planObservedCopies(session, changed, manifests);
    if (options.dryRun) return { drift, events, copies, ops: await planObservedProfile(session, location, after, copies), before, after };
    await carryOutCopies(session.store, copies, { pid: session.world.pid, now });
    try {
      await session.ledger.append(location.stream, before.version, events);
    } catch (error) {
      if (error instanceof GenledgerError && error.code === 'GENLEDGER_VERSION_CONFLICT' && attempt < maxAttempts) continue;
      throw error;
    }
    return { drift, events, copies, ops: await projectObserved(session, location, after), before, after };
  }
}
