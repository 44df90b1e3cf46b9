/**
 * The fleet database a fleet command names: `--db URL`, or `--to URL`
 * (push's name for it), or GENLEDGER_FLEET_DB; both options at once must agree.
 */
import { usageError } from '../../errors.js';
import type { World } from '../../world.js';

export interface DbFlags {
  db?: string;
  to?: string;
}

export async function fleetUrl(world: World, options: DbFlags) {
  if (options.db !== undefined && options.to !== undefined && options.db !== options.to) {
    throw usageError('GENLEDGER_BAD_OPTION', '--to and --db name different fleet databases', 'give one of them');
  }
  const { parseFleetUrl } = await import('../../fleet/fleet-url.js');
  return parseFleetUrl(options.to ?? options.db ?? world.env.GENLEDGER_FLEET_DB);
}
