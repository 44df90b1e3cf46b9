/**
 * How every fleet command but `fleet init` reaches the fleet database:
 * connected, and refused unless its schema is exactly this genledger's.
 */
import { connectFleet } from './fleet-connection.js';
import type { FleetConnection } from './fleet-connection.js';
import { checkFleetSchema } from './fleet-schema.js';
import type { FleetUrl } from './fleet-url.js';

export async function openFleet(url: FleetUrl): Promise<FleetConnection> {
  const connection = await connectFleet(url);
  try {
    await checkFleetSchema(connection);
    return connection;
  } catch (error) {
    await connection.close();
    throw error;
  }
}
