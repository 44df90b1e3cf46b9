/**
 * `fleet blame HOST NAME`: `genledger blame NAME` over one host's profile
 * stream as the fleet holds it. The stream is folded here (its events are
 * few beside the fleet's); "current" follows the profile's lineage from
 * its current generation back through the generations each continues, and
 * the first that changed NAME (priority changes aside) decides, as the
 * host's own blame does.
 */
import { lineageEffect } from '../../domain/generation-lineage.js';
import { packageTouches } from '../../domain/package-touches.js';
import type { PackageTouch } from '../../domain/package-touches.js';
import { profileEventVersions } from '../../domain/profile-events.js';
import type { ProfileEvent } from '../../domain/profile-events.js';
import { refused } from '../../errors.js';
import type { StoredEvent } from '../../ledger/event.js';
import type { FleetConnection } from '../../fleet/fleet-connection.js';
import { streamEnvelopes } from '../../fleet/fleet-projection-store.js';
import { compileUpcasters } from '../../ledger/upcasting.js';
import { eventUpcasters } from '../../../migrations/events/index.js';
import { foldProfile } from '../profile/profile-stream.js';
import { touchFacts } from '../provenance/blame.js';
import type { BlameEntry, BlameReport } from '../provenance/blame.js';

/** A local blame entry, placed by the stream's `version` (seqs are per home). */
export type FleetBlameEntry = Omit<BlameEntry, 'seq' | 'change'> & { readonly version: number; readonly change: PackageTouch['change'] };

/** A local blame report of one host's profile. */
export type FleetBlameReport = Omit<BlameReport, 'current' | 'removedBy' | 'history'> & {
  readonly host: string;
  readonly current: FleetBlameEntry | null;
  readonly removedBy: FleetBlameEntry | null;
  readonly history: readonly FleetBlameEntry[];
};

export async function fleetBlame(fleet: FleetConnection, host: string, profile: string, name: string): Promise<FleetBlameReport> {
  const upcast = compileUpcasters(eventUpcasters);
  const events = (await streamEnvelopes(fleet, { host, stream: profile })).map((text) => upcast(JSON.parse(text) as StoredEvent));
  if (events.length === 0) throw refused('GENLEDGER_NO_MATCH', `the fleet database holds no profile '${profile}' of host '${host}'`, 'see genledger fleet hosts');
  if (!events.every((event) => Object.hasOwn(profileEventVersions, event.type))) {
    throw refused('GENLEDGER_NO_MATCH', `stream '${profile}' of host '${host}' is not a profile`, 'see genledger fleet hosts');
  }
  const history = events
    .flatMap((event) => packageTouches(event as unknown as ProfileEvent).filter((touch) => touch.name === name).map((touch) => entryOf(touch, event)))
    .reverse();
  if (history.length === 0) throw refused('GENLEDGER_NO_MATCH', `no event of profile '${profile}' of host '${host}' touched a package named '${name}'`, `see genledger fleet log --host ${host} --package ${name}`);
  const generation = foldProfile(events).current;
  const decisive = decisiveEntry(events, generation, history);
  return {
    host,
    profile,
    name,
    generation,
    current: decisive !== null && decisive.change !== 'removed' ? decisive : null,
    removedBy: decisive !== null && decisive.change === 'removed' ? decisive : null,
    history,
  };
}

/** Walks parents from the current generation; the first generation NAME was changed in (by the event that created it) decides. */
function decisiveEntry(events: readonly StoredEvent[], current: number | null, history: readonly FleetBlameEntry[]): FleetBlameEntry | null {
  const created = new Map<number, { version: number; parent: number | null }>();
  for (const event of events) {
    for (const { generation, parent } of lineageEffect(event as unknown as ProfileEvent).created) created.set(generation, { version: event.version, parent });
  }
  const seen = new Set<number>();
  for (let generation = current; generation !== null && !seen.has(generation); ) {
    seen.add(generation);
    const step = created.get(generation);
    if (step === undefined) return null;
    const at = generation;
    const entry = history.find((item) => item.version === step.version && item.generation === at && item.change !== 'priority');
    if (entry !== undefined) return entry;
    generation = step.parent;
  }
  return null;
}

function entryOf(touch: PackageTouch, event: StoredEvent): FleetBlameEntry {
  return { version: event.version, ...touchFacts(touch, event) };
}
