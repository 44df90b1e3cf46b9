/**
 * The store's registry of valid paths, kept in the `store` sublevel of the
 * genledger database (the role of Nix's ValidPaths/Refs tables). This is
 * the only module that reads or writes those records. A path is valid iff
 * it has a record here; a directory entry in the store without one is junk
 * (for instance left by a crash) and `gc` removes it.
 */
import type { AbstractLevel } from 'abstract-level';
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

  constructor(db: Db) {
    this.records = db.sublevel<string, string>('store', { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  }

  async get(path: string): Promise<PathInfo | null> {
    const text = await this.records.get(path);
    return text === undefined ? null : decode(path, text);
  }

  async has(path: string): Promise<boolean> {
    return (await this.records.get(path)) !== undefined;
  }

  async put(info: PathInfo): Promise<void> {
    await this.records.put(info.path, encode(info));
  }

  async delete(paths: readonly string[]): Promise<void> {
    await this.records.batch(paths.map((key) => ({ type: 'del' as const, key })));
  }

  /** Every valid path with its record, in store-path order. */
  async all(): Promise<PathInfo[]> {
    const result: PathInfo[] = [];
    for await (const [key, value] of this.records.iterator()) result.push(decode(key, value));
    return result;
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
