/**
 * What the fleet queries read about one (host, stream), derived from that
 * stream's events alone: its head, and for a profile stream its current
 * generation, since when (the event that made it current), its elements,
 * each element's store paths with the name and version Nix parses from
 * them, and every package touch (as `log --package` and `blame` select
 * events). The fold is the domain's own, so the fleet answers exactly what
 * the host's ledger would.
 */
import { packageTouches } from '../../domain/package-touches.js';
import { profileEventVersions } from '../../domain/profile-events.js';
import type { ProfileEvent } from '../../domain/profile-events.js';
import { currentGeneration } from '../../domain/profile-state.js';
import type { ProfileElement } from '../../domain/profile-manifest.js';
import type { StoredEvent } from '../../ledger/event.js';
import { compileUpcasters } from '../../ledger/upcasting.js';
import { parseDrvName, storePathName } from '../../projection/drv-name.js';
import { eventUpcasters } from '../../../migrations/events/index.js';
import { foldProfile } from '../profile/profile-stream.js';

export interface StreamProjection {
  readonly host: string;
  readonly stream: string;
  readonly version: number;
  readonly lastAt: string;
  readonly lastType: string;
  readonly profile: boolean;
  readonly generation: number | null;
  readonly since: string | null;
  readonly elements: readonly ProfileElement[] | null;
  readonly paths: ReadonlyArray<{ readonly element: string; readonly name: string; readonly version: string; readonly storePath: string }>;
  readonly touches: ReadonlyArray<{ readonly version: number; readonly name: string; readonly change: string; readonly generation: number }>;
}

const upcast = compileUpcasters(eventUpcasters);

/** `events`: the whole stream, version 1 first, as stored (not upcast). */
export function projectStream(host: string, stream: string, events: readonly StoredEvent[]): StreamProjection {
  const last = events[events.length - 1];
  if (last === undefined) throw new Error(`projectStream: stream '${stream}' of host '${host}' has no events`);
  const head = { host, stream, version: last.version, lastAt: last.at, lastType: last.type };
  const profile = events.every((event) => Object.hasOwn(profileEventVersions, event.type));
  if (!profile) return { ...head, profile, generation: null, since: null, elements: null, paths: [], touches: [] };
  const lifted = events.map(upcast);
  const state = foldProfile(lifted);
  const current = currentGeneration(state);
  const elements = current?.manifest.elements ?? [];
  return {
    ...head,
    profile,
    generation: state.current,
    since: state.currentSince,
    elements,
    paths: elements.flatMap((element) =>
      element.storePaths.map((storePath) => ({ element: element.name, ...parseDrvName(storePathName(storePath)), storePath })),
    ),
    touches: lifted.flatMap((event) =>
      packageTouches(event as unknown as ProfileEvent).map(({ name, change, generation }) => ({ version: event.version, name, change, generation })),
    ),
  };
}
