/**
 * `genledger verify`: everything that can disagree with the log, checked in
 * one pass — both hash chains and all signatures, the store's records
 * against the disk, and every profile's links against its projection
 * (including generation links the ledger never made: drift).
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseGenerationLinkName } from '../domain/generation-link-name.js';
import { readPublicKeyFile } from '../ledger/key-files.js';
import { verifyLedger } from '../ledger/verify-ledger.js';
import { describeFsOp } from '../projection/fs-op.js';
import { verifyStore } from '../store/store-verify.js';
import { locationOfStream } from './profile-location.js';
import { planProfile } from './profile-projector.js';
import { loadProfileState } from './profile-stream.js';
import { listProfileStreams } from './profile-streams.js';
import type { Session } from './session.js';

export interface VerifyProblem {
  readonly kind: string;
  readonly message: string;
  readonly seq?: number;
  readonly stream?: string;
  readonly path?: string;
}

export interface VerifyReport {
  readonly eventsChecked: number;
  readonly storePathsChecked: number;
  readonly profilesChecked: number;
  readonly problems: readonly VerifyProblem[];
}

export async function verifyEverything(session: Session, trustedKeyFiles: readonly string[]): Promise<VerifyReport> {
  const trustedKeys = trustedKeyFiles.map((file) => readPublicKeyFile(resolve(session.world.cwd, file)));
  const ledgerReport = await verifyLedger(session.database.db, { trustedKeys });
  const problems: VerifyProblem[] = ledgerReport.problems.map((problem) => ({ ...problem }));
  const storeReport = await verifyStore(session.store, { contents: false });
  problems.push(...storeReport.problems.map((problem) => ({ kind: `store-${problem.kind}`, message: problem.message, path: problem.path })));
  let profilesChecked = 0;
  if (ledgerReport.ok) {
    for (const stream of await listProfileStreams(session.ledger)) {
      profilesChecked++;
      const location = locationOfStream(session.home, stream);
      const state = await loadProfileState(session.ledger, stream);
      for (const op of await planProfile(session, location, state)) {
        problems.push({ kind: 'projection', stream, path: op.path, message: `profile '${stream}' differs from the ledger: it needs ${describeFsOp(op)}` });
      }
      const known = new Set(Object.keys(state.generations).map(Number));
      for (const number of generationLinksOnDisk(location.dir, location.base)) {
        if (!known.has(number)) problems.push({ kind: 'drift', stream, message: `profile '${stream}' has generation ${number} on disk that the ledger never recorded (changed outside genledger?)` });
      }
    }
  }
  return { eventsChecked: ledgerReport.eventsChecked, storePathsChecked: storeReport.checked, profilesChecked, problems };
}

function generationLinksOnDisk(dir: string, base: string): number[] {
  try {
    return readdirSync(dir)
      .map((name) => parseGenerationLinkName(base, name))
      .filter((n): n is number => n !== null);
  } catch {
    return [];
  }
}
