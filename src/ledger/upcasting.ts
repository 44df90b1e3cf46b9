/**
 * Read-time schema migration. An upcaster lifts one event type from schema
 * version `from` to `from + 1`; chaining them brings any stored event to the
 * current schema. Upcasters run after the stored hash was checked and never
 * write: the log keeps the bytes that were hashed and signed, forever.
 */
import type { StoredEvent } from './event.js';

export interface Upcaster {
  readonly type: string;
  readonly from: number;
  readonly up: (event: StoredEvent) => StoredEvent;
}

export type Upcast = (event: StoredEvent) => StoredEvent;

/** Compiles a list of upcasters into one function; refuses two upcasters for the same step. */
export function compileUpcasters(upcasters: readonly Upcaster[]): Upcast {
  const steps = new Map<string, Upcaster>();
  for (const upcaster of upcasters) {
    const step = `${upcaster.type}@${upcaster.from}`;
    if (steps.has(step)) throw new Error(`two upcasters lift ${upcaster.type} from v${upcaster.from}`);
    steps.set(step, upcaster);
  }
  return (event) => {
    let current = event;
    for (let upcaster = steps.get(`${current.type}@${current.v}`); upcaster !== undefined; upcaster = steps.get(`${current.type}@${current.v}`)) {
      const next = upcaster.up(current);
      if (next.type !== current.type || next.v !== current.v + 1) {
        throw new Error(`the upcaster of ${current.type} v${current.v} returned ${next.type} v${next.v}`);
      }
      current = next;
    }
    return current;
  };
}
