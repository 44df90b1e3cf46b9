/**
 * The store's registry of valid paths, kept in the `store` sublevel of the
 * genledger database (the role of Nix's ValidPaths/Refs tables). This is
 * the only module that reads or writes those records. A path is valid iff
 * it has a record here; a directory entry in the store without one is junk
 * (for instance left by a crash) and `gc` removes it.
 *
 * Durability order: a record must never reach the disk before the contents
 * it vouches for. `put` therefore only stages a record (visible to this
 * process's reads at once); `commit` first runs the barrier given at
 * construction (a syncfs of the store's file system), then writes every
 * staged record in one batch. A caller that appends a synced event next
 * commits without LevelDB's sync (the append's sync carries the records,
 * which precede it in LevelDB's log); any other commit syncs.
 */
import type { AbstractBatchOptions, AbstractLevel } from 'abstract-level';
import { integrityError } from '../errors.js';
import { Hash } from './hash.js';
import type { PathInfo } from './path-info.js';

type Db = AbstractLevel<string | Buffer | Uint8Array, string, string>;

interface StoredRecord {
  path: string;
  narHash: string;
  narSize: number;
  references: string[];
  ca: string | null;
  registrationTime: number;
  deriver?: string;
}

export class PathInfoDb {
  private readonly records;
  private readonly staged = new Map<string, PathInfo>();

  constructor(
    db: Db,
    private readonly contentsBarrier: () => void = () => undefined,
  ) {
    this.records = db.sublevel<string, string>('store', { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  }

  async get(path: string): Promise<PathInfo | null> {
    const staged = this.staged.get(path);
    if (staged !== undefined) return staged;
    const text = await this.records.get(path);
    return text === undefined ? null : decode(path, text);
  }

  async has(path: string): Promise<boolean> {
    return this.staged.has(path) || (await this.records.get(path)) !== undefined;
  }

  /** Stages the record of a path whose contents are written; `commit` makes it durable. */
  async put(info: PathInfo): Promise<void> {
    this.staged.set(info.path, info);
  }

  get pending(): number {
    return this.staged.size;
  }

  /** Syncs the contents of the staged paths, then writes their records; nothing to do when none is staged. */
  async commit(options: { sync: boolean }): Promise<void> {
    if (this.staged.size === 0) return;
    this.contentsBarrier();
    const batch = [...this.staged.values()].map((info) => ({ type: 'put' as const, key: info.path, value: encode(info) }));
    // classic-level's `sync` option, passed through the sublevel to the database; abstract-level does not type it.
    await this.records.batch(batch, { sync: options.sync } as AbstractBatchOptions<string, string>);
    this.staged.clear();
  }

  async delete(paths: readonly string[]): Promise<void> {
    for (const path of paths) this.staged.delete(path);
    await this.records.batch(paths.map((key) => ({ type: 'del' as const, key })));
  }

  /** Every valid path with its record, in store-path order. */
  async all(): Promise<PathInfo[]> {
    const result: PathInfo[] = [];
    for await (const [key, value] of this.records.iterator()) if (!this.staged.has(key)) result.push(decode(key, value));
    if (this.staged.size === 0) return result;
    // Store paths are ASCII: code-unit order is LevelDB's byte order.
    return [...result, ...this.staged.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

function encode(info: PathInfo): string {
  const record: StoredRecord = {
    path: info.path,
    narHash: info.narHash.toTyped('hex'),
    narSize: info.narSize,
    references: [...info.references],
    ca: info.ca,
    registrationTime: info.registrationTime,
    ...(info.deriver === undefined ? {} : { deriver: info.deriver }),
  };
  return JSON.stringify(record);
}

function decode(key: string, text: string): PathInfo {
  let record: StoredRecord;
  try {
    record = JSON.parse(text) as StoredRecord;
  } catch {
    throw integrityError('GENLEDGER_CORRUPT_PATH_INFO', `the store record of '${key}' is not valid JSON`, 'run genledger store verify');
  }
  if (record.path !== key || typeof record.narSize !== 'number' || !Array.isArray(record.references)) {
    throw integrityError('GENLEDGER_CORRUPT_PATH_INFO', `the store record of '${key}' is malformed`, 'run genledger store verify');
  }
  return {
    path: record.path,
    narHash: Hash.parse(record.narHash),
    narSize: record.narSize,
    references: record.references,
    ca: record.ca,
    registrationTime: record.registrationTime,
    ...(record.deriver === undefined ? {} : { deriver: record.deriver }),
  };
}
