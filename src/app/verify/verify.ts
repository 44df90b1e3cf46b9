/**
 * `genledger verify`: everything that can disagree with the log, checked in
 * one pass — both hash chains and all signatures, the store's records
 * against the disk, and every profile's links against its projection.
 * Links changed outside genledger (made, deleted or retargeted by hand or
 * by Nix, a profile link moved; the system profile's too) are reported as drift, which `adopt`
 * records; other differences as projection problems, which `replay` fixes.
 * A projection checkpoint that is missing or behind the log means an
 * interrupted or lost projection: reported too, and also fixed by `replay`.
 * Profile states are folded from every event here, never from a snapshot.
 * Every live generation's closure must be in the store (`closure-missing`),
 * and temporary links a killed command left are named (`temporary-link`).
 */
import { resolve } from 'node:path';
import { profileDrift } from '../../domain/profile-drift.js';
import { readPublicKeyFile } from '../../ledger/key-files.js';
import { verifyLedger } from '../../ledger/verify-ledger.js';
import { describeFsOp } from '../../projection/fs-op.js';
import { driftProblems } from '../profile/drift-report.js';
import { readProfileLinks } from '../nix-import/nix-profile-reader.js';
import { locationOfStream } from '../profile/profile-location.js';
import { listTempRoots, planProfile } from '../profile/profile-projector.js';
import { foldProfile } from '../profile/profile-stream.js';
import { listProfileStreams } from '../profile/profile-streams.js';
import { snapshotProblems } from './snapshot-check.js';
import { invalidEventProblem } from './stored-event-check.js';
import { readCheckpoint } from '../session/checkpoint.js';
import { describeSystemOp } from '../../projection/system-plan.js';
import { systemDriftProblems } from '../system/system-drift-check.js';
import { recordedSystemRoot } from '../system/system-root.js';
import { planSystem } from '../system/system-projector.js';
import { loadSystemState, systemStream } from '../system/system-stream.js';
import type { Session } from '../session/session-context.js';
import { halfDeletedProblems } from '../gc/interrupted-gc.js';
import { projectionProblem, withoutRepeatedTemporaryLinks } from '../session/temporary-links.js';
import { closureProblems } from './verify-closures.js';
import type { LiveGeneration } from './verify-closures.js';
import { liveGenerations } from '../../domain/profile-state.js';
import { problemFix, replayAdvice } from './problem-fix.js';
import type { ProblemFix } from './problem-fix.js';
import { problemGroups } from './problem-groups.js';

export interface VerifyProblem {
  readonly kind: string;
  readonly message: string;
  readonly seq?: number;
  readonly stream?: string;
  readonly path?: string;
  /** The generation a `closure-missing` path belongs to. */
  readonly generation?: number;
  /** Set (to null) by a problem that, unlike others of its kind, neither replay nor adopt fixes. */
  readonly fix?: ProblemFix | null;
}

/** A problem as reported: with the profile it concerns (`stream`, or null for the home itself) and the repair that applies. */
export interface ReportedProblem extends VerifyProblem {
  readonly profile: string | null;
  readonly fix: ProblemFix | null;
}

export interface VerifyReport {
  readonly eventsChecked: number;
  readonly storePathsChecked: number;
  readonly profilesChecked: number;
  /** Grouped by profile (problems of the home itself first), in the order of `byProfile`. */
  readonly problems: readonly ReportedProblem[];
  /** How many problems each profile has, null for the home itself. */
  readonly byProfile: ReadonlyArray<{ readonly profile: string | null; readonly problems: number }>;
  /** Not failures, but worth a look: a stream that stopped being signed. */
  readonly warnings: readonly string[];
}

export async function verifyEverything(session: Session, trustedKeyFiles: readonly string[]): Promise<VerifyReport> {
  const trustedKeys = trustedKeyFiles.map((file) => readPublicKeyFile(resolve(session.world.cwd, file)));
  const ledgerReport = await verifyLedger(session.database.db, { trustedKeys });
  const problems: VerifyProblem[] = [...session.homeStatus.findings, ...ledgerReport.problems.map((problem) => ({ ...problem }))];
  // A Nix store is the whole machine's: the home answers for its own closures (below), `store verify` for the store.
  const storeReport = session.store.kind === 'nix' ? null : await session.store.verify({ contents: false });
  if (storeReport !== null) problems.push(...storeReport.problems.map((problem) => ({ kind: `store-${problem.kind}`, message: problem.message, path: problem.path })));
  problems.push(...(await halfDeletedProblems(session)));
  let profilesChecked = 0;
  const live: LiveGeneration[] = [];
  if (ledgerReport.ok) {
    const tempRoots = listTempRoots(session);
    for (const stream of await listProfileStreams(session.ledger)) {
      profilesChecked++;
      const location = locationOfStream(session.home, stream);
      const events = await session.ledger.readStream(stream);
      const invalid = invalidEventProblem(stream, events, session.store.storeDir);
      if (invalid !== null) {
        problems.push(invalid);
        continue;
      }
      const state = foldProfile(events);
      problems.push(...(await snapshotProblems(session.database, stream, events)));
      const links = readProfileLinks(location);
      const drift = driftProblems(location, links, profileDrift(state, links));
      problems.push(...drift.problems);
      live.push(...liveGenerations(state).map((g) => ({ stream, generation: g.number, path: g.profilePath, packages: g.manifest.elements.flatMap((e) => e.storePaths) })));
      for (const op of await planProfile(session, location, state, tempRoots)) {
        if (drift.paths.has(op.path)) continue;
        problems.push({ stream, path: op.path, ...projectionProblem(op, `profile '${stream}'`, describeFsOp(op)) });
      }
    }
  }
  if (ledgerReport.ok) {
    const system = await loadSystemState(session.ledger);
    if (system.exists) {
      profilesChecked++;
      live.push(...Object.values(system.generations).map((generation) => ({ stream: systemStream, generation: generation.number, path: generation.systemPath })));
      const drift = systemDriftProblems(session, await recordedSystemRoot(session), system);
      problems.push(...drift.problems);
      for (const op of await planSystem(session, system)) {
        if (drift.paths.has(op.path)) continue;
        problems.push({ stream: systemStream, path: op.path, ...projectionProblem(op, 'the system profile', describeSystemOp(op)) });
      }
    }
  }
  const closures = await closureProblems(session.store, live);
  problems.push(...closures.problems);
  const lastSeq = await session.ledger.lastSeq();
  const checkpoint = await readCheckpoint(session.database);
  if (lastSeq > 0 && (checkpoint === null || checkpoint < lastSeq)) {
    problems.push({
      kind: 'checkpoint',
      message: checkpoint === null ? `the projection checkpoint is missing; ${replayAdvice}` : `the projection checkpoint is at seq ${checkpoint} but the log is at ${lastSeq}; ${replayAdvice}`,
    });
  }
  return verifyReport({ eventsChecked: ledgerReport.eventsChecked, storePathsChecked: storeReport?.checked ?? closures.checked, profilesChecked, warnings: ledgerReport.warnings }, withoutRepeatedTemporaryLinks(problems));
}

/** The report of `problems`, each with its profile and fix, grouped by profile. */
export function verifyReport(counts: Omit<VerifyReport, 'problems' | 'byProfile'>, problems: readonly VerifyProblem[]): VerifyReport {
  const groups = problemGroups(problems.map((problem) => ({ ...problem, profile: problem.stream ?? null, fix: problemFix(problem) })));
  return { ...counts, problems: groups.flatMap((group) => group.problems), byProfile: groups.map((group) => ({ profile: group.profile, problems: group.problems.length })) };
}
