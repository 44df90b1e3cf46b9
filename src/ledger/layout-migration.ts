/**
 * What one LevelDB layout migration is. A module of its own so that the
 * migrations (migrations/layout/) can name it without importing the runner
 * that imports them: the list is the runner's input, never its dependency
 * back.
 */
import type { AbstractBatchOperation } from 'abstract-level';
import type { LevelDatabase } from './ledger-keys.js';

export type LayoutOperation = AbstractBatchOperation<LevelDatabase, string, string>;

export interface LayoutMigration {
  readonly version: number;
  readonly description: string;
  /** The writes that bring a database at `version - 1` to `version`; must not write by itself. */
  up(db: LevelDatabase): Promise<LayoutOperation[]>;
}
