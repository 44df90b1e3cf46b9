/**
 * The lineage of generations: each generation continues the contents of a
 * parent (the generation it was decided on; for a restored generation, the
 * deleted one it brings back; none for the empty generation 0), and the
 * profile points at one of them. Read from each event alone, without
 * folding the stream, so an index can keep it up to date event by event.
 *
 * Invariant: a parent's number is always below its child's, because new
 * generations are numbered above every number in use, imports follow the
 * link below and adoptions a lower generation; walking parents from any
 * generation therefore ends.
 */
import type { ProfileEvent } from './profile-events.js';

export interface LineageEffect {
  readonly created: readonly { readonly generation: number; readonly parent: number | null }[];
  /** Where the profile points afterwards, when the event moves it (null: nowhere). */
  readonly current?: number | null;
}

export function lineageEffect(event: ProfileEvent): LineageEffect {
  switch (event.type) {
    case 'PackagesInstalled':
    case 'PackagesRemoved':
    case 'PackagesUpgraded':
    case 'PriorityChanged':
    case 'GenerationImported': {
      const { generation, created, base } = event.data;
      return { created: created ? [{ generation, parent: base }] : [], current: generation };
    }
    case 'GenerationRestored': {
      const { generation, created, restored } = event.data;
      return { created: created ? [{ generation, parent: restored }] : [], current: generation };
    }
    case 'GenerationSwitched':
      return { created: event.data.emptyGeneration === undefined ? [] : [{ generation: 0, parent: null }], current: event.data.to };
    case 'ProfileImported':
      return { created: [], current: event.data.current };
    case 'ExternalChangeObserved': {
      const created = event.data.generations.map((observed) => ({ generation: observed.generation, parent: observed.base }));
      return event.data.current === undefined ? { created } : { created, current: event.data.current.to };
    }
    case 'ProfileCreated':
    case 'GenerationsDeleted':
    case 'HistoryWiped':
    case 'EventQuarantined':
      return { created: [] };
    default:
      return assertNever(event);
  }
}

function assertNever(event: never): never {
  throw new Error(`unknown profile event ${JSON.stringify(event)}`);
}
