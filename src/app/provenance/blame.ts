/**
 * `blame NAME`: who put the current version of a package into a profile,
 * and everything that happened to it before. "Current" follows the
 * profile's lineage, not the newest event: walking from the current
 * generation to the generations it continues, the first that changed NAME
 * decides. So after a rollback the answer is whoever installed the version
 * rolled back to, and a restored generation answers with the install it
 * restores. `log --package` reads the same index (package-log.ts).
 */
import { refused } from '../../errors.js';
import type { StoredEvent } from '../../ledger/event.js';
import { PackageIndex } from './package-index.js';
import type { IndexedTouch } from './package-index.js';
import type { Session } from '../session/session-context.js';

export interface BlameEntry {
  readonly seq: number;
  readonly type: string;
  readonly change: IndexedTouch['change'];
  readonly generation: number;
  readonly storePaths: readonly string[];
  readonly at: string;
  readonly actor: StoredEvent['actor'];
  readonly command: readonly string[] | null;
  readonly reason: string | null;
}

export interface BlameReport {
  readonly profile: string;
  readonly name: string;
  /** The profile's current generation. */
  readonly generation: number | null;
  /** The install or upgrade that brought the version in the current generation; null when NAME is not in it. */
  readonly current: BlameEntry | null;
  /** When NAME is not in the current generation: the removal on its lineage, if one took it out. */
  readonly removedBy: BlameEntry | null;
  /** Every event that touched NAME in this profile, newest first. */
  readonly history: readonly BlameEntry[];
}

export async function blame(session: Session, stream: string, name: string): Promise<BlameReport> {
  const index = new PackageIndex(session.database.db, session.ledger);
  return index.read(async () => {
    const touches = await index.touches(stream, name);
    if (touches.length === 0) throw refused('GENLEDGER_NO_MATCH', `no event of profile '${stream}' touched a package named '${name}'`, 'see genledger profile list and genledger log');
    const generation = (await index.current(stream)) ?? null;
    const decisive = await decisiveTouch(index, stream, generation, touches);
    const history = (await index.withEvents([...touches].reverse())).map(({ touch, event }) => entryOf(touch, event));
    const found = decisive === null ? null : (history.find((item) => item.seq === decisive.seq && item.generation === decisive.generation) ?? null);
    return {
      profile: stream,
      name,
      generation,
      current: found !== null && found.change !== 'removed' ? found : null,
      removedBy: found !== null && found.change === 'removed' ? found : null,
      history,
    };
  });
}

/** The first touch met walking the lineage back from the current generation; priority changes do not decide. */
async function decisiveTouch(index: PackageIndex, stream: string, current: number | null, touches: readonly IndexedTouch[]): Promise<IndexedTouch | null> {
  if (current === null) return null;
  const deciding = new Map(touches.filter((touch) => touch.change !== 'priority').map((touch) => [`${touch.seq}:${touch.generation}`, touch]));
  const lowest = touches.reduce((low, touch) => Math.min(low, touch.generation), current);
  for await (const step of index.lineage(stream, current, lowest)) {
    const touch = deciding.get(`${step.seq}:${step.generation}`);
    if (touch !== undefined) return touch;
  }
  return null;
}

function entryOf(touch: IndexedTouch, event: StoredEvent): BlameEntry {
  return { seq: touch.seq, ...touchFacts(touch, event) };
}

/** What a blame entry says of a touch, wherever the event was read from (this home's index, or the fleet). */
export function touchFacts(touch: Pick<IndexedTouch, 'change' | 'generation' | 'storePaths'>, event: StoredEvent): Omit<BlameEntry, 'seq'> {
  return {
    type: event.type,
    change: touch.change,
    generation: touch.generation,
    storePaths: touch.storePaths,
    at: event.at,
    actor: event.actor,
    command: event.command ?? null,
    reason: event.reason ?? null,
  };
}
