/**
 * `recover`: rebuilds a state home whose database was lost or damaged,
 * once `setAsideDamagedState` has moved the old one aside and a session
 * has opened a fresh one. The best sources come first:
 *
 * 1. each backup (a copy of an earlier `db`): every event of every stream,
 *    verbatim and in the backup's global log order;
 * 2. the store's registry, rebuilt from the store directory;
 * 3. each bundle (`genledger export`): checked and appended as `import`
 *    does, store paths missing from the disk fetched from its cache;
 * 4. the disk: a profile whose stream no source brought back is taken over
 *    from its links as `import-nix` takes over a Nix profile, and a profile
 *    whose links changed after its source was made has the changes
 *    recorded as `adopt` records them; these events say why
 *    ({@link recoveredReason}).
 *
 * Only then is everything projected, once, so a link is never moved to an
 * older state a source knew before the disk's changes are recorded. The
 * report compares the result with the old head file: how many events the
 * ledger had, how many came back, which were lost.
 */
import { refused } from '../../errors.js';
import type { StoredEvent } from '../../ledger/event.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { LogHead } from '../../ledger/log-entry.js';
import { StoreLocation } from '../../store/store-location.js';
import { readBackup } from './backup-events.js';
import { writeCheckpoint } from '../session/checkpoint.js';
import type { SetAside } from './damaged-home.js';
import { findDiskProfiles } from '../profile/disk-profiles.js';
import { adoptExternalChange } from '../profile/external-change.js';
import { appendBundle, prepareBundleImport } from '../bundle/import-bundle.js';
import { ledgerHeadFile, writeHeadFile } from '../../ledger/ledger-head-file.js';
import { logSeals } from './log-seals.js';
import { importNixProfile } from '../nix-import/nix-profile-import.js';
import { listProfileStreams } from '../profile/profile-streams.js';
import { replay } from '../session/replay.js';
import type { Session } from '../session/session-context.js';
import type { StoreConfig } from '../session/store-config.js';
import { reregisterStore } from '../store/store-reregister.js';
import type { Reregistration } from '../store/store-reregister.js';

/** The reason every event `recover` records carries (followed by `-m TEXT` when given). */
export const recoveredReason = 'recovered from disk after the database was lost';

export interface RecoverSources {
  readonly backups: readonly string[];
  readonly bundles: readonly string[];
}

export interface SourceReport {
  readonly kind: 'backup' | 'bundle';
  readonly dir: string;
  /** Events appended from it (events an earlier source brought are skipped). */
  readonly events: number;
}

export interface RecoveryReport {
  readonly reason: string;
  readonly setAside: { readonly db: string | null; readonly headFile: string | null };
  /** What the old head file recorded (null when there was none): the old ledger's size. */
  readonly before: LogHead | null;
  readonly recovered: { readonly events: number; readonly sources: readonly SourceReport[] };
  /**
   * How many events the old ledger had that no source brought back, and
   * their seqs in the old log when they are known (the sources were
   * backups, which hold a prefix of the old log in its order; events from
   * a bundle come stream after stream, so only the count is known then);
   * null when the old size is unknown (no head file).
   */
  readonly lost: { readonly events: number; readonly seqs: readonly [number, number] | null } | null;
  /** Whether the recovered log's entry at the old head seq is the one the head file recorded. */
  readonly headMatches: boolean | null;
  readonly profiles: {
    /** Streams a backup or bundle brought back. */
    readonly fromSources: readonly string[];
    /** Profiles taken over from their links alone: their history before the recovery is not known. */
    readonly rebuiltFromDisk: readonly string[];
    /** Profiles that came back from a source, with later changes found on disk and recorded. */
    readonly changedOnDisk: readonly string[];
  };
  readonly store: { readonly reregistered: number; readonly alreadyValid: number; readonly unreadable: Reregistration['unreadable'] };
  /** Store paths live generations need that nothing brought back: their links are made but do not work. */
  readonly missing: ReadonlyArray<{ readonly profile: string; readonly generation: number; readonly path: string }>;
  /** The recovered ledger's head (also written to ledger-head.json). */
  readonly after: LogHead | null;
}

export async function recoverHome(session: Session, setAside: SetAside, sources: RecoverSources): Promise<RecoveryReport> {
  const reports: SourceReport[] = [];
  for (const dir of sources.backups) reports.push({ kind: 'backup', dir, events: await importBackup(session, dir) });
  // Nix's database is a Nix store's registry: nothing of it was lost with genledger's.
  const store = session.store.kind === 'nix' ? { registered: [], alreadyValid: 0, unreadable: [] } : await reregisterStore(session.store, session.world.now(), session.progress);
  for (const dir of sources.bundles) reports.push({ kind: 'bundle', dir, events: await importBundleEvents(session, dir) });
  const fromSources = await listProfileStreams(session.ledger);

  const recording = withRecoveredReason(session);
  const rebuiltFromDisk: string[] = [];
  const changedOnDisk: string[] = [];
  for (const location of findDiskProfiles(session.home)) {
    if ((await session.ledger.head(location.stream)) === null) {
      await importNixProfile(recording, location.link, { as: location.stream, dryRun: false });
      rebuiltFromDisk.push(location.stream);
    } else if ((await adoptExternalChange(recording, location, { dryRun: false })).events.length > 0) {
      changedOnDisk.push(location.stream);
    }
  }

  const projected = await replay(session, { dryRun: false });
  const before = setAside.head;
  const seals = await logSeals(session.ledger, before?.seq ?? null);
  await writeCheckpoint(session.database, seals.head?.seq ?? 0);
  if (seals.head !== null) writeHeadFile(ledgerHeadFile(session.home.root), seals.head);
  const recovered = reports.reduce((sum, report) => sum + report.events, 0);
  const lostCount = before === null ? 0 : Math.max(0, before.seq - recovered);
  // Backups are prefixes of the old log, imported in its order; a bundle's streams come one after another.
  const inOldOrder = reports.every((report) => report.kind === 'backup' || report.events === 0);
  return {
    reason: setAside.reason,
    setAside: { db: setAside.damagedDb, headFile: setAside.damagedHeadFile },
    before,
    recovered: { events: recovered, sources: reports },
    lost: before === null ? null : { events: lostCount, seqs: lostCount === 0 || !inOldOrder ? null : [before.seq - lostCount + 1, before.seq] },
    headMatches: before === null ? null : seals.at?.hash === before.hash,
    profiles: { fromSources, rebuiltFromDisk, changedOnDisk },
    store: { reregistered: store.registered.length, alreadyValid: store.alreadyValid, unreadable: store.unreadable },
    missing: projected.missing,
    after: seals.head,
  };
}

async function importBackup(session: Session, dir: string): Promise<number> {
  const backup = await readBackup(dir, session.world);
  if (backup.store !== null) checkSameStore(session, backup.store, dir);
  return importInLogOrder(session.ledger, backup.events);
}

/** Consecutive events of one stream go in one import, so the global order is the backup's. */
async function importInLogOrder(ledger: Ledger, events: readonly StoredEvent[]): Promise<number> {
  let appended = 0;
  let run: StoredEvent[] = [];
  const flush = async () => {
    const stream = run[0]?.stream;
    if (stream !== undefined) appended += (await ledger.importEvents(stream, run)).appended;
    run = [];
  };
  for (const event of events) {
    if (run[0] !== undefined && run[0].stream !== event.stream) await flush();
    run.push(event);
  }
  await flush();
  return appended;
}

async function importBundleEvents(session: Session, dir: string): Promise<number> {
  // The bundle is this home's own export: every stream it holds belongs here, external profiles included.
  const options = { dir, substituters: [], trustedKeys: [], allowExternal: true };
  const prepared = await prepareBundleImport(session, options);
  await appendBundle(session, prepared, options);
  return prepared.imports.reduce((sum, item) => sum + item.fresh.length, 0);
}

function checkSameStore(session: Session, recorded: StoreConfig, dir: string): void {
  const theirs = StoreLocation.of(recorded.storeDir, recorded.storeRoot);
  const ours = session.store.location;
  if (theirs.logicalDir === ours.logicalDir && theirs.physicalDir === ours.physicalDir) return;
  throw refused(
    'GENLEDGER_STORE_MISMATCH',
    `the backup ${dir} used the store '${theirs.logicalDir}' at ${theirs.physicalDir}, but this recovery uses '${ours.logicalDir}' at ${ours.physicalDir}`,
    `run genledger recover again with --store-dir ${theirs.logicalDir}${recorded.storeRoot === null ? '' : ` --store-root ${recorded.storeRoot}`}`,
  );
}

function withRecoveredReason(session: Session): Session {
  const given = session.options.reason;
  return { ...session, options: { ...session.options, reason: given === undefined ? recoveredReason : `${recoveredReason}: ${given}` } };
}
