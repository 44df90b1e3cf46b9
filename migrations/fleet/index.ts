/**
 * Every PostgreSQL fleet schema migration, in order; entry N has version N.
 * `genledger fleet init` applies the ones a fleet database has not seen
 * (fleet-schema.ts), and every fleet connection refuses any other version.
 * The SQL files are text modules: the build inlines them into the bundle.
 */
import fleetEvents from './0001-fleet-events.sql';
import fleetCurrent from './0002-fleet-current.sql';
import fleetFold from './0003-fleet-fold.sql';

export interface FleetMigration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const fleetMigrations: readonly FleetMigration[] = [
  { version: 1, description: 'events per origin host, hosts, the prev-link guard', sql: fleetEvents },
  { version: 2, description: 'what the fleet queries read: stream heads, current elements, package touches', sql: fleetCurrent },
  { version: 3, description: "each stream's fold, so a push folds only what it sends", sql: fleetFold },
];
