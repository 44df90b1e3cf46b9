/**
 * `import DIR`: reconstructs a bundle's profiles here. Everything that can
 * refuse the import is settled before anything is written, in this order:
 * the bundle itself (shape, hashes, chains, heads, signatures), its store
 * directory, the stream names, every stream against the local ledger
 * (divergence, reused ids) and the domain's rules (imported-event-check.ts),
 * the profiles' places and links (as profile commands keep them), and the
 * store paths to fetch (found, trusted, content addresses, NARs hashed). Only then are paths substituted, the rebuilt profile paths
 * checked against the recorded ones, the events appended verbatim (ids,
 * actors, times, hashes and signatures as the origin wrote them) and the
 * profiles projected. Importing records no event of its own: the imported
 * events keep their origin's actor and host, which is the audit trail.
 *
 * A stream keeps its name: the name is sealed into every event hash and
 * signature, so importing under another name would forge a history that
 * no one signed. `--as` therefore only states (and checks) which stream a
 * one-stream bundle holds.
 *
 * `prepareBundleImport` (every check) and `appendBundle` (store paths and
 * events) are also used on their own by `recover`, which projects once at
 * the end, after recording what it found on disk.
 */
import { liveGenerations } from '../../domain/profile-state.js';
import { integrityError, isGenledgerError, refused, usageError } from '../../errors.js';
import type { PublicKey } from '../../ledger/nix-key.js';
import type { SystemOp } from '../../projection/system-plan.js';
import { openBinaryCache } from '../../store/binary-cache/cache-reader.js';
import type { BinaryCache } from '../../store/binary-cache/cache-reader.js';
import { substitute } from '../../store/binary-cache/substituter.js';
import { storePackageView } from '../../store/store-package-view.js';
import { badBundle } from './bundle-format.js';
import type { BundleHeader, BundleOrigin } from './bundle-format.js';
import { readBundle } from './bundle-reader.js';
import type { StoredEvent } from '../../ledger/event.js';
import { checkPlannedNars, planStorePaths } from './bundle-store-plan.js';
import type { StorePlan } from './bundle-store-plan.js';
import { recordCheckpoint } from '../session/catch-up.js';
import { checkContentAddresses, contentAddressedPathsOf } from './import-content-addresses.js';
import { checkFreshIds, planStreamImports } from './import-streams.js';
import { planSystemImport } from './import-system-stream.js';
import type { SystemImport } from './import-system-stream.js';
import type { StreamImport } from './import-streams.js';
import { ProfileBuilder } from '../profile/profile-builder.js';
import { checkProfileOwner, externalStreamPrefix, locationOfStream } from '../profile/profile-location.js';
import { sessionProfile } from '../profile/session-profile.js';
import type { ProfileLocation } from '../profile/profile-location.js';
import { checkProfilePlace } from '../profile/profile-place.js';
import { applyProfilePlan, planProfile } from '../profile/profile-projector.js';
import { profileStorePaths } from '../profile/profile-store-paths.js';
import type { Session } from '../session/session-context.js';
import { applySystem, planSystem } from '../system/system-projector.js';
import { noFaults } from '../../fault-injection.js';
import { stopPoint, throttledStopPoint } from '../../interruption.js';
import { systemStorePaths } from '../system/system-store-paths.js';
import { systemStream } from '../system/system-stream.js';
import { refuseOverwritingUnknownLinks } from '../profile/unknown-generation-links.js';

export interface ImportOptions {
  /** Absolute directory of the bundle. */
  readonly dir: string;
  readonly as?: string;
  /** Binary cache URLs tried after the bundle's own cache, in order. */
  readonly substituters: readonly string[];
  /** When given, every event and every fetched path must be vouched for by one of them. */
  readonly trustedKeys: readonly PublicKey[];
  /** Accept `path:` streams, whose profiles live outside the state home. */
  readonly allowExternal: boolean;
  readonly dryRun: boolean;
}

export interface ImportedStream {
  readonly stream: string;
  readonly from: number;
  readonly to: number;
  /** Types of the events appended (or, in a dry run, to append). */
  readonly events: readonly string[];
  readonly generation: number | null;
}

export interface ImportResult {
  readonly dryRun: boolean;
  readonly origin: BundleOrigin;
  readonly exportedAt: string;
  readonly streams: readonly ImportedStream[];
  readonly substituted: ReadonlyArray<{ readonly path: string; readonly cache: string }>;
  readonly unavailable: readonly string[];
  /** The system stream's file operations (boot entries too) follow the profiles'. */
  readonly operations: readonly SystemOp[];
  readonly upToDate: boolean;
}

export async function importBundle(session: Session, options: ImportOptions): Promise<ImportResult> {
  return importSource(session, readBundle(options.dir, options.trustedKeys), options);
}

/**
 * What an import reconstructs from, checked as a bundle's contents are
 * (hashes, chains, signatures given trusted keys): a bundle read from
 * disk, or a host's streams read from the fleet database (`fleet pull`).
 */
export interface ImportSource {
  readonly header: Pick<BundleHeader, 'origin' | 'exportedAt' | 'storeDir'>;
  /** Each stream's events, version 1 first, exactly as the origin stored them. */
  readonly events: ReadonlyMap<string, readonly StoredEvent[]>;
  /** A binary cache tried before the --substituter caches, when the source has one. */
  readonly cacheDir: string | null;
}

/** `import`'s work on a source already read and checked: every check against this home, then the writes. */
export async function importSource(session: Session, source: ImportSource, options: Omit<ImportOptions, 'dir'>): Promise<ImportResult> {
  const prepared = await prepareImport(session, source, options);
  const { imports, plan } = prepared;
  if (options.dryRun) {
    // A profile path the plan fetches will be valid, not built.
    const fetched = new Set(plan.steps.map((step) => step.path));
    const operations: SystemOp[] = [];
    for (const { location, planned } of imports) {
      operations.push(...(await planProfile(session, location, planned)).filter((op) => op.op !== 'build' || !fetched.has(op.path)));
    }
    if (prepared.system !== null) operations.push(...(await planSystem(session, prepared.system.planned)));
    return importReport(prepared, options, operations);
  }
  const builder = await appendBundle(session, prepared, options);
  const operations: SystemOp[] = [];
  for (const { location, planned } of imports) {
    const ops = await planProfile(session, location, planned);
    await applyProfilePlan(session, planned, ops, builder);
    operations.push(...ops);
  }
  if (prepared.system !== null) {
    // Projected as replay projects it: links and boot entries; no activation runs (import-system-stream.ts).
    const ops = await planSystem(session, prepared.system.planned);
    await applySystem({ ...session, faults: noFaults }, ops);
    operations.push(...ops);
  }
  if ([...imports, ...(prepared.system === null ? [] : [prepared.system])].some((i) => i.fresh.length > 0)) await recordCheckpoint(session);
  return importReport(prepared, options, operations);
}

/** A bundle checked against this home, with every stream and store path it brings planned; nothing written. */
export interface PreparedImport {
  readonly bundle: ImportSource;
  readonly imports: readonly StreamImport[];
  /** The bundle's system stream, when it has one. */
  readonly system: SystemImport | null;
  readonly caches: readonly BinaryCache[];
  readonly plan: StorePlan;
}

export async function prepareBundleImport(session: Session, options: Omit<ImportOptions, 'dryRun'>): Promise<PreparedImport> {
  return prepareImport(session, readBundle(options.dir, options.trustedKeys), options);
}

async function prepareImport(session: Session, bundle: ImportSource, options: Omit<ImportOptions, 'dryRun' | 'dir'>): Promise<PreparedImport> {
  const { store } = session;
  if (bundle.header.storeDir !== store.storeDir.path) {
    throw refused(
      'GENLEDGER_STORE_DIR_MISMATCH',
      `the bundle's store paths are named for '${bundle.header.storeDir}', but this home's store is '${store.storeDir.path}'`,
      `import into a home whose store is named '${bundle.header.storeDir}' (--store-dir, with --store-root for a chroot store)`,
    );
  }
  const imports = await planStreamImports(session, selectStreams(session, bundle, options));
  const systemEvents = bundle.events.get(systemStream);
  const system = systemEvents === undefined ? null : await planSystemImport(session, systemEvents);
  if (system !== null) await checkFreshIds(session, [system]);
  await checkProfileSlots(session, imports);
  const caches = await openCaches(session, bundle, options.substituters);
  const profilePaths = profileStorePaths(imports.map((i) => i.planned));
  const required = system === null ? profilePaths.required : [...new Set([...profilePaths.required, ...systemStorePaths(system.planned)])].sort();
  const optional = profilePaths.optional.filter((path) => !required.includes(path));
  const plan = await planStorePaths({ store, caches: caches.all, bundleCache: caches.bundleCache, required, optional, trustedKeys: options.trustedKeys });
  checkContentAddresses(plan, store.storeDir, contentAddressedPathsOf(imports.flatMap((i) => i.fresh)));
  await checkPlannedNars(plan, store.storeDir);
  return { bundle, imports, system, caches: caches.all, plan };
}

/**
 * Fetches the planned store paths, checks the profile paths, and appends
 * the events verbatim; the profiles are not projected. Returns the builder
 * that knows the profile paths, for the projection.
 */
export async function appendBundle(session: Session, prepared: PreparedImport, options: Pick<ImportOptions, 'trustedKeys'>): Promise<ProfileBuilder> {
  const { store, world } = session;
  const { plan, imports } = prepared;
  const interruption = world.interruption;
  if (plan.steps.length > 0) {
    // A stop between two paths leaves the added ones valid and named by no event: dead paths, as a crash there leaves, for the next gc.
    if (interruption !== undefined) interruption.doing = "adding the bundle's store paths";
    const safePoint = throttledStopPoint(interruption);
    await substitute({
      store,
      caches: prepared.caches,
      paths: plan.steps.map((step) => step.path),
      trustedKeys: options.trustedKeys,
      requireSigs: options.trustedKeys.length > 0,
      pid: world.pid,
      now: world.now(),
      onProgress: async ({ done, total }) => {
        session.progress.step('fetching store paths', done, total);
        session.faults.reach('during-import');
        await safePoint();
      },
    });
  }
  const builder = new ProfileBuilder(store, storePackageView(store.location));
  await checkProfilePaths(session, imports, builder);
  const streams = [...imports, ...(prepared.system === null ? [] : [{ stream: systemStream, fresh: prepared.system.fresh }])];
  for (const { stream, fresh } of streams) {
    if (fresh.length === 0) continue;
    // Each stream is appended whole; a stop between two leaves the first ones for the next command's catch-up to project, and the next import appends the rest.
    if (interruption !== undefined) interruption.doing = `importing stream '${stream}'`;
    session.faults.reach('during-import');
    await stopPoint(interruption);
    await session.ledger.importEvents(stream, fresh);
  }
  return builder;
}

function importReport({ bundle, imports, system, plan }: PreparedImport, options: Pick<ImportOptions, 'dryRun'>, operations: SystemOp[]): ImportResult {
  const substituted = plan.steps.map((step) => ({ path: step.path, cache: step.cache.url }));
  const streams: ImportedStream[] = imports.map(({ stream, localVersion, fresh, planned }) => ({ stream, from: localVersion, to: planned.version, events: fresh.map((e) => e.type), generation: planned.current }));
  if (system !== null) {
    const { localVersion, fresh, planned } = system;
    streams.push({ stream: systemStream, from: localVersion, to: planned.version, events: fresh.map((e) => e.type), generation: planned.machine.bootDefault });
  }
  return {
    dryRun: options.dryRun,
    origin: bundle.header.origin,
    exportedAt: bundle.header.exportedAt,
    streams,
    substituted,
    unavailable: plan.unavailable,
    operations,
    upToDate: streams.every((stream) => stream.events.length === 0) && substituted.length === 0 && operations.length === 0,
  };
}

function selectStreams(session: Session, bundle: ImportSource, options: Pick<ImportOptions, 'as' | 'allowExternal'>) {
  // The system stream is imported under its own rules (import-system-stream.ts).
  const streams = [...bundle.events.keys()].filter((stream) => stream !== systemStream);
  if (options.as !== undefined) {
    if (streams.length !== 1) {
      throw usageError('GENLEDGER_BAD_OPTION', `--as names the one stream of a one-stream bundle, but this bundle holds ${streams.length}: ${streams.join(', ')}`, 'drop --as to import them all');
    }
    const wanted = sessionProfile(session, options.as).stream;
    if (wanted !== streams[0]) {
      throw refused(
        'GENLEDGER_IMPORT_RENAME',
        `the bundle holds stream '${streams[0]}', which cannot be imported as '${wanted}': the stream name is sealed into every event's hash and signature, so a renamed copy would be a history nobody recorded`,
        'import it under its own name; to keep it apart from a local profile of that name, import into another state home (--home DIR)',
      );
    }
  }
  return streams.map((stream) => ({ location: streamLocation(session, stream, options.allowExternal), events: bundle.events.get(stream) ?? [] }));
}

function streamLocation(session: Session, stream: string, allowExternal: boolean): ProfileLocation {
  let location: ProfileLocation;
  try {
    location = locationOfStream(session.home, stream);
  } catch (error) {
    if (isGenledgerError(error)) throw badBundle(`the bundle's stream '${stream}' does not name a profile: ${error.message}`);
    throw error;
  }
  if (stream.startsWith(externalStreamPrefix) && !allowExternal) {
    throw refused(
      'GENLEDGER_EXTERNAL_PROFILE',
      `the bundle's stream '${stream}' is a profile outside the state home: importing it would write links at ${location.link}`,
      'pass --allow-external if that is where the profile belongs on this machine',
    );
  }
  checkProfileOwner(location, session.world.actor, session.nix?.stateDir ?? null);
  return location;
}

/** The caches to fetch from, in order: the bundle's own, then each --substituter. */
async function openCaches(session: Session, bundle: ImportSource, urls: readonly string[]): Promise<{ all: BinaryCache[]; bundleCache: BinaryCache | null }> {
  const { storeDir } = session.store;
  let bundleCache: BinaryCache | null = null;
  if (bundle.cacheDir !== null) {
    try {
      bundleCache = await openBinaryCache(bundle.cacheDir, storeDir);
    } catch (error) {
      if (isGenledgerError(error)) throw badBundle(`the bundle's cache cannot be read: ${error.message}`);
      throw error;
    }
  }
  const all = bundleCache === null ? [] : [bundleCache];
  for (const url of urls) all.push(await openBinaryCache(url, storeDir));
  return { all, bundleCache };
}

/**
 * The rules profile commands keep, checked before anything is written: the
 * profile link's place can hold it (not a file of the user's, not inside
 * the store), and no generation link the ledger does not know is
 * overwritten.
 */
async function checkProfileSlots(session: Session, imports: readonly StreamImport[]): Promise<void> {
  for (const { location, before, planned } of imports) {
    checkProfilePlace(location, session.home, session.store.location, { create: false });
    refuseOverwritingUnknownLinks(await planProfile(session, location, planned), location, before);
  }
}

/** A live generation whose profile path no cache had is rebuilt from its packages; it must come out as the path the origin recorded. */
async function checkProfilePaths(session: Session, imports: readonly StreamImport[], builder: ProfileBuilder): Promise<void> {
  for (const { stream, planned } of imports) {
    for (const generation of liveGenerations(planned)) {
      if (await session.store.isValid(generation.profilePath)) continue;
      const rebuilt = builder.pathOf(generation.manifest, generation.manifestVersion);
      if (rebuilt !== generation.profilePath) {
        throw integrityError(
          'GENLEDGER_PROFILE_PATH_MISMATCH',
          `no event was imported: generation ${generation.number} of '${stream}' rebuilds as ${rebuilt}, not the recorded ${generation.profilePath}`,
          'the packages here differ from those the origin used; export again with --with-store so the profile paths travel too',
        );
      }
    }
  }
}
