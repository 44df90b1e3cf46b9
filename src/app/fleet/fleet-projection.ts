/**
 * What the fleet queries read about one (host, stream), derived from that
 * stream's events alone: its head, and for a profile stream its current
 * generation, since when (the event that made it current), its elements,
 * each element's store paths with the name and version Nix parses from
 * them, and every package touch (as `log --package` and `blame` select
 * events). The fold is the domain's own, so the fleet answers exactly what
 * the host's ledger would.
 *
 * The fold can go on from where it stopped: `projectStream` takes the
 * stream's fold as stored after an earlier push (the state, the event it
 * was folded to) and only the events after it, and returns the touches of
 * those events alone, so a push folds what it pushed, not the stream again.
 */
import { packageTouches } from '../../domain/package-touches.js';
import { profileEventVersions } from '../../domain/profile-events.js';
import type { ProfileEvent } from '../../domain/profile-events.js';
import { currentGeneration, initialProfileState } from '../../domain/profile-state.js';
import type { ProfileState } from '../../domain/profile-state.js';
import type { ProfileElement } from '../../domain/profile-manifest.js';
import type { StoredEvent } from '../../ledger/event.js';
import type { ProjectedStream } from '../../fleet/fleet-projection-store.js';
import { compileUpcasters } from '../../ledger/upcasting.js';
import { parseDrvName, storePathName } from '../../projection/drv-name.js';
import { version as genledgerVersion } from '../../version.js';
import { eventUpcasters } from '../../../migrations/events/index.js';
import { foldProfile } from '../profile/profile-stream.js';

/** The rows the query tables keep of a stream; `touches`: those of the events folded by this call (all of them when it started from the first event). */
export interface StreamProjection extends ProjectedStream {
  readonly elements: readonly ProfileElement[] | null;
  readonly fold: StreamFold;
}

/**
 * Where a stream's fold stands: after event `version` (whose hash is
 * `hash`), the profile state, or null for a stream that is not a profile
 * (one event of another type makes it so for good). `build` names the
 * genledger that folded it: a fold stored by another build (whose upcasters
 * or state shape may differ) is not continued.
 */
export interface StreamFold {
  readonly build: string;
  readonly version: number;
  readonly hash: string;
  readonly state: ProfileState | null;
}

/** Bumped whenever ProfileState or the fold changes shape. */
const format = 1;
export const foldBuild = `${genledgerVersion}/${format}`;

const upcast = compileUpcasters(eventUpcasters);

/**
 * `events`: as stored (not upcast), version 1 first when `from` is null,
 * else the ones right after `from` (which `continues` must accept).
 */
export function projectStream(host: string, stream: string, events: readonly StoredEvent[], from: StreamFold | null = null): StreamProjection {
  const last = events[events.length - 1];
  if (last === undefined) throw new Error(`projectStream: stream '${stream}' of host '${host}' has no events`);
  if (from !== null && !continues(from, events)) throw new Error(`projectStream: the events of stream '${stream}' of host '${host}' do not follow its fold`);
  const head = { host, stream, version: last.version, lastAt: last.at, lastType: last.type };
  const profile = (from === null || from.state !== null) && events.every((event) => Object.hasOwn(profileEventVersions, event.type));
  const fold = { build: foldBuild, version: last.version, hash: last.hash };
  if (!profile) return { ...head, profile, generation: null, since: null, elements: null, paths: [], touches: [], fold: { ...fold, state: null } };
  const lifted = events.map(upcast);
  const state = foldProfile(lifted, from?.state ?? initialProfileState);
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
    fold: { ...fold, state },
  };
}

/** Whether `events` go on from `from`: folded by this build, and the first of them chained to its event. */
export function continues(from: StreamFold, events: readonly StoredEvent[]): boolean {
  const first = events[0];
  return from.build === foldBuild && first !== undefined && first.version === from.version + 1 && first.prev === from.hash;
}
