/**
 * The data model of `genledger report`: one lane per profile (and one for
 * the system profile), each generation with who made it and why, its
 * markers, its closure size and its closure diff against the generation
 * before it, plus the rollbacks, switches and deletions between them. The
 * renderers (timeline-svg.ts, timeline-html.ts) draw exactly this, and
 * `report --json` prints it.
 */
import type { Actor } from '../world.js';
import type { ClosureDiff } from './closure-diff.js';

export interface TimelineProvenance {
  readonly eventType: string;
  readonly at: string;
  readonly actor: Actor;
  readonly command: readonly string[] | null;
  readonly reason: string | null;
}

export interface TimelineGeneration {
  readonly generation: number;
  readonly createdAt: string;
  readonly deleted: boolean;
  readonly current: boolean;
  /** System lane only; always false on a profile lane. */
  readonly booted: boolean;
  readonly running: boolean;
  readonly madeBy: TimelineProvenance | null;
  /** NAR bytes of the closure the store holds now; `exact` is false when part of it is gone. */
  readonly closureSize: { readonly bytes: number; readonly exact: boolean };
  /** The closure changes from the generation numbered just below (null: none below it). */
  readonly diff: (ClosureDiff & { readonly against: number }) | null;
}

export interface TimelineMark {
  readonly kind: 'rollback' | 'switch' | 'undo' | 'deleted' | 'wiped';
  readonly at: string;
  /** For rollback, switch and undo: the generation left and the one switched to. */
  readonly from: number | null;
  readonly to: number | null;
  /** For deleted and wiped: the generations removed. */
  readonly generations: readonly number[];
  readonly actor: Actor;
  readonly reason: string | null;
}

export interface TimelineLane {
  readonly profile: string;
  readonly kind: 'profile' | 'system';
  readonly current: number | null;
  readonly generations: readonly TimelineGeneration[];
  readonly marks: readonly TimelineMark[];
}

export interface TimelineReport {
  readonly home: string;
  readonly lanes: readonly TimelineLane[];
}
