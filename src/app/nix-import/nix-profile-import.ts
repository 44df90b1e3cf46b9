/**
 * `import-nix LINK`: takes over a profile Nix made (nix-env or nix
 * profile), generation by generation, into a new profile stream. Each
 * generation becomes a GenerationImported event dated by its link's mtime,
 * and a ProfileImported event (dated by the profile link's mtime) says where
 * it pointed and who imported it. The events' actor is `imported`: Nix
 * keeps no author, so the uid is the link's owner (the only trace of who
 * made it) and the host is this one, where the profile lived; the person
 * who ran the import is in ProfileImported's `importedBy` and every event's
 * command line. Store paths missing from this home's store are copied in
 * first, then the events are appended, then projected: the new profile has
 * the same generation numbers, targets and current generation as LINK.
 */
import { resolve } from 'node:path';
import { decideImport } from '../../domain/profile-adoption.js';
import { profileEventVersions } from '../../domain/profile-events.js';
import type { ProfileState } from '../../domain/profile-state.js';
import { refused } from '../../errors.js';
import type { NewEvent } from '../../ledger/event.js';
import type { FsOp } from '../../projection/fs-op.js';
import { envelope } from '../session/event-envelope.js';
import { carryOutCopies } from '../bundle/foreign-paths.js';
import { checkIncomingStream } from '../bundle/imported-event-check.js';
import type { PlannedCopy } from '../bundle/foreign-paths.js';
import { locateProfileLink, readProfileLinks } from './nix-profile-reader.js';
import { manifestLookup, planObservedCopies, planObservedProfile, projectObserved, readObservedManifests } from '../profile/observed-generations.js';
import { checkProfileOwner, resolveProfile } from '../profile/profile-location.js';
import { sessionProfile } from '../profile/session-profile.js';
import type { ProfileLocation } from '../profile/profile-location.js';
import { foldProfile } from '../profile/profile-stream.js';
import type { Session } from '../session/session-context.js';

export interface ImportOutcome {
  readonly location: ProfileLocation;
  /** The profile link read (after following links to it). */
  readonly source: string;
  readonly events: readonly NewEvent[];
  /** The generation numbers taken over, and the numbers below the highest that Nix had deleted. */
  readonly generations: readonly number[];
  readonly gaps: readonly (readonly [number, number])[];
  readonly copies: readonly PlannedCopy[];
  readonly ops: readonly FsOp[];
  readonly after: ProfileState;
}

const importedUser = 'imported';

export async function importNixProfile(session: Session, link: string, options: { as?: string; dryRun: boolean }): Promise<ImportOutcome> {
  const { world } = session;
  const place = locateProfileLink(resolve(world.cwd, link));
  // `--as` means what `-p` means on this backend; without it, a Nix store's profile is taken over where it is, and the embedded store's gets the link's name in the home.
  const location = options.as !== undefined ? sessionProfile(session, options.as) : resolveProfile(session.home, session.nix === null ? place.base : place.link);
  checkProfileOwner(location, world.actor, session.nix?.stateDir ?? null);
  if ((await session.ledger.head(location.stream)) !== null) {
    throw refused('GENLEDGER_PROFILE_EXISTS', `profile '${location.stream}' already has a history in the ledger`, `import under another name with --as NAME, or record changes made outside genledger with genledger adopt -p ${location.stream}`);
  }
  const links = readProfileLinks(place);
  const manifests = await readObservedManifests(session, place.link, links.generations);
  const now = world.now();
  const decided = decideImport(links, manifestLookup(manifests), {
    source: place.link,
    importedBy: { ...world.actor },
    importedAt: now.toISOString(),
  });
  const events = decided.map(({ at, owner, event }) =>
    envelope(world, new Date(at), event, profileEventVersions[event.type], session.options.reason, { user: importedUser, uid: owner, host: world.actor.host }),
  );
  const placed = events.map((event, index) => ({ ...event, stream: location.stream, version: index + 1, prev: null, hash: '' }));
  // Made here, but from files on disk: the same gate as a bundle's events.
  checkIncomingStream(location.stream, placed, placed.length, { now, storeDir: session.store.storeDir });
  const after = foldProfile(placed);
  const closing = decided.at(-1)?.event;
  const imported = closing?.type === 'ProfileImported' ? { generations: closing.data.generations, gaps: closing.data.gaps } : { generations: [], gaps: [] };
  const copies = await planObservedCopies(session, links.generations, manifests);
  const outcome = { location, source: place.link, events, ...imported, copies, after };
  if (options.dryRun) return { ...outcome, ops: await planObservedProfile(session, location, after, copies) };
  await carryOutCopies(session.store, copies, { pid: world.pid, now });
  await session.ledger.append(location.stream, 0, events);
  return { ...outcome, ops: await projectObserved(session, location, after) };
}
