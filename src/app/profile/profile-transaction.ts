/**
 * One mutating profile command, end to end: load state, decide, append,
 * project. The command is decided against fresh state; if another writer
 * moved the stream in between (a version conflict), it is decided again,
 * a bounded number of times, and then refused — never lost or overwritten.
 * A dry run stops after deciding and returns the events and file
 * operations it would have carried out. A profile changed on disk outside
 * genledger is refused (or, with `adopt`, recorded first), so the command
 * never builds on a generation the user has left. A big profile tree is
 * written with the database lock given up (unlocked-build.ts), once: if
 * the stream moved meanwhile, the command is decided again. A stop signal
 * (interruption.ts) ends it between those steps: after the trees are
 * written, before the append, or after it (the next command then projects
 * the event).
 */
import { decide } from '../../domain/profile-decide.js';
import type { ProfileCommand } from '../../domain/profile-commands.js';
import type { ManifestVersion } from '../../domain/profile-events.js';
import { profileEventVersions } from '../../domain/profile-events.js';
import { currentGeneration } from '../../domain/profile-state.js';
import type { ProfileState } from '../../domain/profile-state.js';
import { GenledgerError, refused } from '../../errors.js';
import type { NewEvent } from '../../ledger/event.js';
import { applyLinks } from '../session/apply-links.js';
import type { FsOp } from '../../projection/fs-op.js';
import { overlayPackageView } from '../../store/overlay-package-view.js';
import { storePackageView } from '../../store/store-package-view.js';
import { refuseDrift } from './drift-guard.js';
import { envelope } from '../session/event-envelope.js';
import { stopPoint } from '../../interruption.js';
import { adoptExternalChange } from './external-change.js';
import { ProfileBuilder, discardWritten } from './profile-builder.js';
import type { WrittenTrees } from './profile-builder.js';
import type { ProfileLocation } from './profile-location.js';
import { checkProfilePlace } from './profile-place.js';
import { refuseOverwritingUnknownLinks } from './unknown-generation-links.js';
import { buildProfilePaths, planProfile, planProfileChange } from './profile-projector.js';
import { foldProfile, loadProfileState } from './profile-stream.js';
import type { Session } from '../session/session-context.js';
import { streamMoved, writeBigTreesUnlocked } from './unlocked-build.js';

export interface TransactionOptions {
  readonly dryRun: boolean;
  readonly expectGeneration?: number;
  /** Record a change made outside genledger first (as `adopt` does) instead of refusing it. */
  readonly adopt?: boolean;
  readonly manifestVersion?: ManifestVersion;
  /** Store paths a dry run has not added yet, and the directories they come from. */
  readonly pending?: ReadonlyMap<string, string>;
}

export interface TransactionOutcome {
  readonly events: readonly NewEvent[];
  readonly ops: readonly FsOp[];
  readonly before: ProfileState;
  readonly after: ProfileState;
  readonly warnings: readonly string[];
}

const maxAttempts = 3;

export async function runProfileTransaction(
  session: Session,
  location: ProfileLocation,
  resolve: (state: ProfileState) => Promise<ProfileCommand>,
  options: TransactionOptions,
): Promise<TransactionOutcome> {
  const written: WrittenTrees = new Map();
  try {
    return await decideAndCarryOut(session, location, resolve, options, written);
  } finally {
    discardWritten(written);
  }
}

async function decideAndCarryOut(
  session: Session,
  location: ProfileLocation,
  resolve: (state: ProfileState) => Promise<ProfileCommand>,
  options: TransactionOptions,
  written: WrittenTrees,
): Promise<TransactionOutcome> {
  for (let attempt = 1; ; attempt++) {
    const before = await loadProfileState(session, location.stream, { save: !options.dryRun });
    if (options.adopt === true && !options.dryRun && (await adoptExternalChange(session, location, { dryRun: false })).events.length > 0) continue;
    refuseDrift(location, before);
    checkExpectedGeneration(before, location, options.expectGeneration);
    checkProfilePlace(location, session.home, session.store.location, { create: !options.dryRun });
    const command = await resolve(before);
    session.faults.reach('after-resolve');
    const view = overlayPackageView(storePackageView(session.store.location), options.pending ?? new Map());
    const builder = new ProfileBuilder(session.store, view, written);
    const now = session.world.now();
    const decided = decide(before, command, {
      profile: location.stream,
      storeDir: session.store.location.logicalDir,
      nowSeconds: Math.floor(now.getTime() / 1000),
      manifestVersion: options.manifestVersion ?? currentGeneration(before)?.manifestVersion ?? 2,
      profilePathOf: builder.pathOf,
    });
    const events = decided.map((event) => envelope(session.world, now, event, profileEventVersions[event.type], session.options.reason));
    const planned = foldProfile(
      events.map((event, index) => ({ ...event, stream: location.stream, version: before.version + index + 1, prev: null, hash: '' })),
      before,
    );
    if (options.dryRun) {
      return { events, ops: await planProfile(session, location, planned), before, after: planned, warnings: builder.warnings };
    }
    const plan = async () => {
      const planOps = session.diskAtHead ? await planProfileChange(session, location, before, planned) : await planProfile(session, location, planned);
      refuseOverwritingUnknownLinks(planOps, location, before);
      return planOps;
    };
    const interruption = session.world.interruption;
    const generation = `generation ${planned.current ?? 'none'} of profile '${location.stream}'`;
    if (interruption !== undefined) interruption.doing = `building ${generation}`;
    let ops = await plan();
    if (attempt === 1 && (await writeBigTreesUnlocked(session, ops, builder))) {
      await stopPoint(interruption);
      // The database was given up: what was read from it is stale.
      if (await streamMoved(session, location.stream, before.version)) continue;
      ops = await plan();
    }
    await buildProfilePaths(session, planned, ops, builder);
    session.faults.reach('after-build');
    await stopPoint(interruption);
    try {
      if (events.length > 0) await session.ledger.append(location.stream, before.version, events);
    } catch (error) {
      if (error instanceof GenledgerError && error.code === 'GENLEDGER_VERSION_CONFLICT' && attempt < maxAttempts) continue;
      throw error;
    }
    session.faults.reach('after-append');
    if (interruption !== undefined) interruption.doing = `switching to ${generation}`;
    await stopPoint(interruption);
    await applyLinks(session, ops);
    return { events, ops, before, after: planned, warnings: builder.warnings };
  }
}

function checkExpectedGeneration(state: ProfileState, location: ProfileLocation, expected: number | undefined): void {
  if (expected === undefined || state.current === expected) return;
  throw refused(
    'GENLEDGER_PROFILE_MOVED',
    `profile '${location.stream}' is at generation ${state.current ?? 'none'}, not ${expected}`,
    'someone changed it since you looked; check genledger profile history and try again',
  );
}

