/**
 * `fleet init`: creates the fleet schema in an existing PostgreSQL
 * database, or brings an older one up to date; running it again changes
 * nothing. It also brings the query tables up to date with the events
 * (refresh-fleet-projection.ts).
 */
import { connectFleet } from '../../fleet/fleet-connection.js';
import { migrateFleet } from '../../fleet/fleet-schema.js';
import type { FleetMigrationReport } from '../../fleet/fleet-schema.js';
import type { FleetUrl } from '../../fleet/fleet-url.js';
import { refreshFleetProjection } from './refresh-fleet-projection.js';

export async function initFleet(url: FleetUrl): Promise<FleetMigrationReport> {
  const fleet = await connectFleet(url);
  try {
    const report = await migrateFleet(fleet);
    await refreshFleetProjection(fleet, null);
    return report;
  } finally {
    await fleet.close();
  }
}
