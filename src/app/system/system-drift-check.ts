/**
 * The system profile's directory read and compared with the system stream:
 * what `verify` reports as drift (fixed by `adopt -p system`) and what every
 * system command refuses to build on, as profile commands refuse a profile
 * changed outside genledger (drift-guard.ts). The directory is the one
 * `systemPlace` names, so a system profile elsewhere (a real root) is read
 * wherever it puts it.
 */
import type { ObservedLinks } from '../../domain/observed-profile.js';
import { hasDrift } from '../../domain/profile-drift.js';
import type { ProfileDrift } from '../../domain/profile-drift.js';
import { systemDrift } from '../../domain/system-drift.js';
import type { SystemProfileState } from '../../domain/system-profile.js';
import { refused } from '../../errors.js';
import { readProfileLinks } from '../nix-import/nix-profile-reader.js';
import { driftFacts, driftProblems } from '../profile/drift-report.js';
import type { DriftProblem } from '../profile/drift-report.js';
import type { ProfileLocation } from '../profile/profile-location.js';
import type { Session } from '../session/session-context.js';
import { systemPlace } from './system-projector.js';
import type { SystemRoot } from './system-root.js';
import { systemStream } from './system-stream.js';

/** The system profile as drift reports name it: `-p system`. */
type PlacedSession = Pick<Session, 'home' | 'store'>;

export function systemProfileLocation(session: PlacedSession, root: SystemRoot): ProfileLocation {
  return { stream: systemStream, ...systemPlace(session, root).profile };
}

export function readSystemDrift(session: PlacedSession, root: SystemRoot, state: SystemProfileState): { location: ProfileLocation; links: ObservedLinks; drift: ProfileDrift } {
  const location = systemProfileLocation(session, root);
  const links = readProfileLinks(location);
  return { location, links, drift: systemDrift(state, links) };
}

/** verify's drift problems of the system profile, and the links they explain (not reported again as projection problems). */
export function systemDriftProblems(session: PlacedSession, root: SystemRoot, state: SystemProfileState): { problems: DriftProblem[]; paths: Set<string> } {
  const { location, links, drift } = readSystemDrift(session, root, state);
  return driftProblems(location, links, drift);
}

export function refuseSystemDrift(session: PlacedSession, root: SystemRoot, state: SystemProfileState): void {
  if (!state.exists) return;
  const { location, drift } = readSystemDrift(session, root, state);
  if (!hasDrift(drift)) return;
  const facts = driftFacts(location, drift);
  const more = facts.length > 1 ? ` (and ${facts.length - 1} more changes)` : '';
  throw refused(
    'GENLEDGER_PROFILE_DRIFT',
    `${facts[0]?.fact ?? 'the system profile differs from the ledger'}${more}: it was changed outside genledger`,
    "record it first with 'genledger adopt -p system'",
  );
}
