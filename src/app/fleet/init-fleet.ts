/**
 * `fleet init`: creates the fleet schema in an existing PostgreSQL
 * database, or brings an older one up to date; running it again changes
 * nothing.
 */
import { connectFleet } from '../../fleet/fleet-connection.js';
import { migrateFleet } from '../../fleet/fleet-schema.js';
import type { FleetMigrationReport } from '../../fleet/fleet-schema.js';
import type { FleetUrl } from '../../fleet/fleet-url.js';

export async function initFleet(url: FleetUrl): Promise<FleetMigrationReport> {
  const fleet = await connectFleet(url);
  try {
    return await migrateFleet(fleet);
  } finally {
    await fleet.close();
  }
}
