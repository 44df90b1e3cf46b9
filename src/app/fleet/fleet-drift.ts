/**
 * `fleet drift`: every host whose profile of a given name differs from a
 * desired one, element by element (projection/profile-diff.ts keyed by
 * element name). The desired elements come from another host's current
 * generation (`--like HOST:PROFILE`) or from a manifest.json; hosts
 * without a profile of that name are not compared.
 */
import { refused } from '../../errors.js';
import type { FleetConnection } from '../../fleet/fleet-connection.js';
import { readProfiles } from '../../fleet/fleet-query-store.js';
import type { ManifestElement } from '../../projection/manifest-json.js';
import { diffManifests } from '../../projection/profile-diff.js';

export interface HostDrift {
  readonly host: string;
  readonly generation: number | null;
  /** Desired elements this host's profile lacks. */
  readonly missing: readonly ManifestElement[];
  /** Elements this host's profile holds that are not desired. */
  readonly extra: readonly ManifestElement[];
  readonly changed: ReadonlyArray<{ readonly name: string; readonly host: ManifestElement; readonly desired: ManifestElement }>;
}

export interface FleetDriftReport {
  readonly profile: string;
  /** The hosts compared (those holding the profile), the reference host included. */
  readonly compared: number;
  readonly drifted: readonly HostDrift[];
}

/** The desired elements: HOST's current generation of `profile`. */
export async function profileOfHost(fleet: FleetConnection, host: string, profile: string): Promise<readonly ManifestElement[]> {
  const found = (await readProfiles(fleet, profile)).find((row) => row.host === host);
  if (found === undefined) throw refused('GENLEDGER_NO_MATCH', `the fleet database holds no profile '${profile}' of host '${host}'`, 'see genledger fleet hosts');
  return found.elements as ManifestElement[];
}

export async function fleetDrift(fleet: FleetConnection, profile: string, desired: readonly ManifestElement[]): Promise<FleetDriftReport> {
  const rows = await readProfiles(fleet, profile);
  const drifted = rows.flatMap(({ host, generation, elements }) => {
    const diff = diffManifests(elements as ManifestElement[], desired);
    if (diff.added.length + diff.removed.length + diff.changed.length === 0) return [];
    return [{ host, generation, missing: diff.added, extra: diff.removed, changed: diff.changed.map(({ name, from, to }) => ({ name, host: from, desired: to })) }];
  });
  return { profile, compared: rows.length, drifted };
}
