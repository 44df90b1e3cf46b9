/**
 * `export --to DIR`: writes profile streams and the system stream (every
 * one, or those `-p` names; `-p system` is the system profile) as a bundle (bundle-format.ts),
 * events exactly as stored, and with `--with-store` a Nix binary cache of
 * the closure of every store path the streams name. Every file is written
 * under a temporary name and renamed into place: the cache, then the
 * stream files, then the header, so a header never names what is not
 * there yet (and an interrupted update of an earlier bundle is refused by
 * import, which checks every head, until an export completes).
 * Exporting records nothing in the ledger.
 *
 * A stop signal ends it between two streams or two cache paths, before any
 * stream file or header is written: an earlier bundle keeps its streams and
 * header (its cache may have gained whole entries it does not name), and a
 * new bundle's directory is removed with what was written into it.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { refused } from '../../errors.js';
import { Interrupted, stopPoint, throttledStopPoint } from '../../interruption.js';
import { canonicalJson } from '../../ledger/canonical-json.js';
import type { SecretKey } from '../../ledger/nix-key.js';
import { writeBinaryCache } from '../../store/binary-cache/cache-writer.js';
import { signHead } from '../../ledger/head-signature.js';
import { BUNDLE_FORMAT, BUNDLE_VERSION, CACHE_DIR, HEADER_FILE, renderHeader, SIGNED_HEADS_VERSION, streamFileName, STREAMS_DIR } from './bundle-format.js';
import type { BundleHeader, BundleStore, BundleStreamEntry } from './bundle-format.js';
import { systemProfileName } from '../profile/profile-location.js';
import { sessionProfile } from '../profile/session-profile.js';
import { profileStorePaths } from '../profile/profile-store-paths.js';
import { loadProfileState } from '../profile/profile-stream.js';
import { listProfileStreams } from '../profile/profile-streams.js';
import type { Session } from '../session/session-context.js';
import { systemStorePaths } from '../system/system-store-paths.js';
import { loadSystemState, systemStream } from '../system/system-stream.js';

export interface ExportOptions {
  /** Absolute directory of the bundle. */
  readonly to: string;
  /** Profiles to export (as `-p` names them); empty: every profile. */
  readonly profiles: readonly string[];
  readonly withStore: boolean;
  /** Signs each stream's head (so the bundle is format version 2) and the cache's narinfos. */
  readonly secretKey?: SecretKey;
}

export interface ExportResult {
  readonly dir: string;
  readonly header: BundleHeader;
  /** Null without --with-store. */
  readonly cache: { readonly dir: string; readonly written: number; readonly skipped: number } | null;
}

export async function exportBundle(session: Session, options: ExportOptions): Promise<ExportResult> {
  const streams = await selectStreams(session, options.profiles);
  const created = prepareDirectory(options.to);
  try {
    return await writeBundle(session, streams, options);
  } catch (error) {
    if (error instanceof Interrupted) removeNewBundle(options.to, created);
    throw error;
  }
}

async function writeBundle(session: Session, streams: readonly string[], options: ExportOptions): Promise<ExportResult> {
  const { ledger, world } = session;
  const interruption = world.interruption;
  const files: Array<{ entry: BundleStreamEntry; text: string }> = [];
  for (const stream of streams) {
    if (interruption !== undefined) interruption.doing = `exporting stream '${stream}'`;
    session.faults.reach('during-export');
    await stopPoint(interruption);
    const events = await ledger.readStream(stream, 1, { upcast: false });
    const head = events[events.length - 1];
    if (head === undefined) continue;
    const entry = signedEntry({ stream, file: streamFileName(stream), version: head.version, hash: head.hash }, options.secretKey);
    files.push({ entry, text: events.map((event) => `${canonicalJson(event)}\n`).join('') });
  }
  const entries = files.map(({ entry }) => entry);
  // The cache first: if it cannot be written, an earlier bundle here is left as it was.
  const written = options.withStore ? await writeStore(session, entries, options) : null;
  // No stop point from here: the stream files and the header go together, as one export.
  if (interruption !== undefined) interruption.doing = `writing the bundle ${options.to}`;
  for (const { entry, text } of files) writeAtomically(join(options.to, STREAMS_DIR, entry.file), text, world.pid);
  const header: BundleHeader = {
    format: BUNDLE_FORMAT,
    version: options.secretKey === undefined ? BUNDLE_VERSION : SIGNED_HEADS_VERSION,
    origin: { host: world.actor.host, user: world.actor.user },
    exportedAt: world.now().toISOString(),
    storeDir: session.store.storeDir.path,
    streams: entries,
    ...(written === null ? {} : { store: written.store }),
  };
  writeAtomically(join(options.to, HEADER_FILE), renderHeader(header), world.pid);
  return { dir: options.to, header, cache: written?.cache ?? null };
}

/** The head signed: the exporter vouches for the chain from it down to version 1. */
function signedEntry(entry: BundleStreamEntry, secretKey: SecretKey | undefined): BundleStreamEntry {
  return secretKey === undefined ? entry : { ...entry, sig: signHead(secretKey, entry) };
}

async function selectStreams(session: Session, profiles: readonly string[]): Promise<string[]> {
  if (profiles.length === 0) {
    const system = (await session.ledger.head(systemStream)) === null ? [] : [systemStream];
    return [...(await listProfileStreams(session.ledger)), ...system];
  }
  const streams = [...new Set(profiles.map((profile) => (profile === systemProfileName ? systemStream : sessionProfile(session, profile).stream)))];
  for (const stream of streams) {
    if ((await session.ledger.head(stream)) === null) {
      throw refused('GENLEDGER_UNKNOWN_PROFILE', `profile '${stream}' has no history to export`, 'list the profiles with genledger profiles');
    }
  }
  return streams;
}

/**
 * A fresh or empty directory, or an earlier bundle (updated in place); never someone else's files.
 * Returns what a stopped export removes: the directory it made, or what it put into an empty one; nothing in an earlier bundle.
 */
function prepareDirectory(dir: string): 'directory' | 'contents' | 'nothing' {
  const created = !existsSync(dir) ? 'directory' : readdirSync(dir).length === 0 ? 'contents' : 'nothing';
  if (existsSync(dir)) {
    if (!lstatSync(dir).isDirectory()) throw refused('GENLEDGER_EXPORT_DIR_TAKEN', `${dir} exists and is not a directory`, 'export to a new directory');
    if (readdirSync(dir).length > 0 && !existsSync(join(dir, HEADER_FILE))) {
      throw refused('GENLEDGER_EXPORT_DIR_TAKEN', `${dir} is neither empty nor a genledger bundle`, 'export to a new or empty directory, or to an earlier bundle to update it');
    }
  }
  mkdirSync(join(dir, STREAMS_DIR), { recursive: true });
  return created;
}

function removeNewBundle(dir: string, created: 'directory' | 'contents' | 'nothing'): void {
  if (created === 'directory') rmSync(dir, { recursive: true, force: true });
  if (created === 'contents') for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
}

async function writeStore(session: Session, entries: readonly BundleStreamEntry[], options: ExportOptions): Promise<{ store: BundleStore; cache: NonNullable<ExportResult['cache']> }> {
  const { store } = session;
  const states = [];
  const systemPaths: string[] = [];
  for (const entry of entries) {
    if (entry.stream === systemStream) systemPaths.push(...systemStorePaths(await loadSystemState(session.ledger)));
    else states.push(await loadProfileState(session, entry.stream));
  }
  const profilePaths = profileStorePaths(states);
  const required = [...new Set([...profilePaths.required, ...systemPaths])];
  const optional = profilePaths.optional.filter((path) => !required.includes(path));
  const present: string[] = [];
  const missing: string[] = [];
  for (const path of [...required, ...optional]) ((await store.isValid(path)) ? present : missing).push(path);
  const paths = await store.closure(present);
  const dir = join(options.to, CACHE_DIR);
  if (session.world.interruption !== undefined) session.world.interruption.doing = 'writing the binary cache of the bundle';
  const safePoint = throttledStopPoint(session.world.interruption);
  const written = await writeBinaryCache({
    store,
    paths,
    dir,
    compression: 'none',
    pid: session.world.pid,
    onProgress: async ({ done, total }) => {
      session.progress.step('writing the binary cache', done, total);
      session.faults.reach('during-export');
      await safePoint();
    },
    ...(options.secretKey === undefined ? {} : { secretKey: options.secretKey }),
  });
  return {
    store: { cache: CACHE_DIR, paths, missing: missing.sort() },
    cache: { dir, written: written.written.length, skipped: written.skipped.length },
  };
}

function writeAtomically(path: string, text: string, pid: number): void {
  const temp = `${path}.tmp.${pid}`;
  try {
    writeFileSync(temp, text, { mode: 0o644 });
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}
