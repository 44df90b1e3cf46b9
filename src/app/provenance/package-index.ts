/**
 * The package index: for each profile stream, which events touched which
 * package (`touch!`), which event made each generation and which generation
 * it continues (`gen!`), and where the profile points (`current!`), so
 * `blame` and `log --package` read a few key ranges instead of the log.
 *
 * It is a cache of the log, in the `package-index` sublevel:
 *
 * | key                                        | value                                  |
 * | ------------------------------------------ | -------------------------------------- |
 * | `touch!<stream>!<name>!<seq:16>!<gen:16>`  | `{ version, hash, change, storePaths }` |
 * | `gen!<stream>!<generation:16>`             | `{ seq, parent }`                      |
 * | `current!<stream>`                         | `{ current }`                          |
 * | `indexed`                                  | `{ seq, hash }` of the last event read |
 *
 * Every query first catches up from `indexed`, so the index is right even
 * when a command that appended never updated it (or crashed before it
 * could); a log that no longer holds the event `indexed` names (a restored
 * backup) and a touch whose event has another hash both rebuild it from
 * scratch, as deleting the sublevel does. Package names are escaped (`%`,
 * `!`) so `!` always delimits key parts; stream names never contain `!`.
 */
import type { AbstractBatchOperation } from 'abstract-level';
import { lineageEffect } from '../../domain/generation-lineage.js';
import { packageTouches } from '../../domain/package-touches.js';
import type { PackageChange, ProfileEvent } from '../../domain/profile-events.js';
import { profileEventVersions } from '../../domain/profile-events.js';
import type { StoredEvent } from '../../ledger/event.js';
import type { Ledger, LogRecord } from '../../ledger/ledger.js';
import { fixedWidth, prefixRange } from '../../ledger/ledger-keys.js';
import type { LevelDatabase } from '../../ledger/ledger-keys.js';
import { listProfileStreams } from '../profile/profile-streams.js';

export interface IndexedTouch extends PackageChange {
  readonly seq: number;
  readonly version: number;
  readonly hash: string;
  readonly generation: number;
}

type Space = ReturnType<typeof indexSpace>;
type Put = AbstractBatchOperation<Space, string, string>;

const BATCH = 1024;
const markKey = 'indexed';

function indexSpace(db: LevelDatabase) {
  return db.sublevel<string, string>('package-index', { keyEncoding: 'utf8', valueEncoding: 'utf8' });
}

const keys = {
  touchPrefix: (stream: string, name: string) => `touch!${stream}!${escapeName(name)}!`,
  touch: (stream: string, name: string, seq: number, generation: number) => `touch!${stream}!${escapeName(name)}!${fixedWidth(seq)}!${fixedWidth(generation)}`,
  generation: (stream: string, generation: number) => `gen!${stream}!${fixedWidth(generation)}`,
  current: (stream: string) => `current!${stream}`,
};

/** Thrown when a touch names an event the log holds with another hash: the index is stale. */
class StaleIndex extends Error {}

export class PackageIndex {
  private readonly space: Space;

  constructor(
    db: LevelDatabase,
    private readonly ledger: Ledger,
  ) {
    this.space = indexSpace(db);
  }

  /** Runs `query` on an index caught up with the log, rebuilding it once if it proves stale. */
  async read<T>(query: () => Promise<T>): Promise<T> {
    await this.catchUp();
    try {
      return await query();
    } catch (error) {
      if (!(error instanceof StaleIndex)) throw error;
      await this.space.clear();
      await this.catchUp();
      return query();
    }
  }

  /** Indexes the events appended since the last catch-up; returns how many were read. */
  async catchUp(): Promise<number> {
    let mark = await this.mark();
    const last = await this.ledger.lastSeq();
    if (mark !== null && (mark.seq > last || (await this.recordAt(mark.seq))?.event.hash !== mark.hash)) {
      await this.space.clear();
      mark = null;
    }
    const from = (mark?.seq ?? 0) + 1;
    if (from > last) return 0;
    const profiles = new Set(await listProfileStreams(this.ledger));
    // By key: a batch writes each key once, its last value (a profile's `current!` changes with nearly every event).
    const batch = new Map<string, Put>();
    let read = 0;
    let latest: LogRecord | null = null;
    for await (const record of this.ledger.readLog({ fromSeq: from })) {
      if (profiles.has(record.event.stream) && Object.hasOwn(profileEventVersions, record.event.type)) {
        for (const entry of entriesOf(record)) batch.set(entry.key, entry);
      }
      read += 1;
      latest = record;
      if (read % BATCH === 0) {
        await this.write([...batch.values()], record);
        batch.clear();
      }
    }
    if (latest !== null && read % BATCH !== 0) await this.write([...batch.values()], latest);
    return read;
  }

  /** The touches of `name` in `stream`, oldest first. */
  async touches(stream: string, name: string): Promise<IndexedTouch[]> {
    const touches: IndexedTouch[] = [];
    for await (const [key, value] of this.space.iterator(prefixRange(keys.touchPrefix(stream, name)))) {
      const [seq = '', generation = ''] = key.split('!').slice(-2);
      const stored = JSON.parse(value) as { version: number; hash: string; change: PackageChange['change']; storePaths: string[] };
      touches.push({ name, seq: Number(seq), generation: Number(generation), ...stored });
    }
    return touches;
  }

  /** Where the profile points: a generation, null (nowhere), or undefined for a stream never indexed. */
  async current(stream: string): Promise<number | null | undefined> {
    const text = await this.space.get(keys.current(stream));
    return text === undefined ? undefined : (JSON.parse(text) as { current: number | null }).current;
  }

  /**
   * The generations `from` continues, newest first, down to `lowest`: one
   * reverse pass over the stream's generation records, which parents'
   * numbers being below their children's makes possible.
   */
  async *lineage(stream: string, from: number, lowest: number): AsyncGenerator<{ generation: number; seq: number }> {
    let wanted: number | null = from;
    const range = { gte: keys.generation(stream, Math.max(lowest, 0)), lte: keys.generation(stream, from), reverse: true };
    for await (const [key, value] of this.space.iterator(range)) {
      if (wanted === null) return;
      const generation = Number(key.slice(key.lastIndexOf('!') + 1));
      if (generation > wanted) continue;
      if (generation < wanted) return;
      const { seq, parent } = JSON.parse(value) as { seq: number; parent: number | null };
      yield { generation, seq };
      wanted = parent !== null && parent < generation ? parent : null;
    }
  }

  /** Each touch with the event it names, checked against the hash the index recorded: one read of the log for them all. */
  async withEvents(touches: readonly IndexedTouch[]): Promise<Array<{ touch: IndexedTouch; event: StoredEvent }>> {
    const records = await this.ledger.readLogAt(touches.map((touch) => touch.seq));
    return touches.map((touch, index) => {
      const event = records[index]?.event;
      if (event?.hash !== touch.hash) throw new StaleIndex(`seq ${touch.seq}`);
      return { touch, event };
    });
  }

  private async recordAt(seq: number): Promise<LogRecord | null> {
    const [record] = await this.ledger.readLogAt([seq]);
    return record ?? null;
  }

  private async mark(): Promise<{ seq: number; hash: string } | null> {
    const text = await this.space.get(markKey);
    return text === undefined ? null : (JSON.parse(text) as { seq: number; hash: string });
  }

  private async write(batch: Put[], last: LogRecord): Promise<void> {
    await this.space.batch([...batch, put(markKey, { seq: last.seq, hash: last.event.hash })]);
  }
}

function entriesOf(record: LogRecord): Put[] {
  const { seq, event } = record;
  const domainEvent = event as unknown as ProfileEvent;
  const entries = packageTouches(domainEvent).map((touch) =>
    put(keys.touch(event.stream, touch.name, seq, touch.generation), { version: event.version, hash: event.hash, change: touch.change, storePaths: touch.storePaths }),
  );
  const effect = lineageEffect(domainEvent);
  for (const { generation, parent } of effect.created) entries.push(put(keys.generation(event.stream, generation), { seq, parent }));
  if (effect.current !== undefined) entries.push(put(keys.current(event.stream), { current: effect.current }));
  return entries;
}

function put(key: string, value: unknown): Put {
  return { type: 'put', key, value: JSON.stringify(value) };
}

function escapeName(name: string): string {
  return name.replaceAll('%', '%25').replaceAll('!', '%21');
}
