/** Runs one read against the fleet database: opened (schema checked), then closed whatever happens. */
import type { FleetConnection } from '../../fleet/fleet-connection.js';
import type { FleetUrl } from '../../fleet/fleet-url.js';
import { openFleet } from '../../fleet/open-fleet.js';

export async function withFleet<T>(url: FleetUrl, read: (fleet: FleetConnection) => Promise<T>): Promise<T> {
  const fleet = await openFleet(url);
  try {
    return await read(fleet);
  } finally {
    await fleet.close();
  }
}
