/**
 * Every LevelDB layout migration, in order; entry N has version N.
 * openDatabase runs the ones a database has not seen yet.
 */
import type { LayoutMigration } from '../../src/ledger/layout-migration.js';
import { eventIdIndex } from './0001-event-id-index.js';

export const layoutMigrations: readonly LayoutMigration[] = [eventIdIndex];
