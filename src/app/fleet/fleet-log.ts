/**
 * `fleet log`: the audit trail across hosts, each event as its host's
 * ledger stores it, with the host it came from, in the fleet's
 * late-commit-safe order.
 */
import type { StoredEvent } from '../../ledger/event.js';
import type { FleetConnection } from '../../fleet/fleet-connection.js';
import { readFleetLog } from '../../fleet/fleet-query-store.js';
import type { LogFilter } from '../../fleet/fleet-query-store.js';

export type FleetLogEntry = { readonly host: string } & StoredEvent;

export async function fleetLog(fleet: FleetConnection, filter: LogFilter): Promise<FleetLogEntry[]> {
  return (await readFleetLog(fleet, filter)).map(({ host, envelope }) => ({ host, ...(JSON.parse(envelope) as StoredEvent) }));
}
