/**
 * `adopt -p system`: records what was done to the system profile outside
 * genledger (`nix-env -p …/system --set`, a plain nixos-rebuild) as one
 * SystemChangeObserved event, then projects it: the boot entries and GC
 * roots follow the adopted generations, and the links stay exactly as Nix
 * left them (the event carries their numbers, targets and mtimes). A
 * generation's store path that this home's store lacks is copied in from
 * where it is, as `adopt -p PROFILE` does. A concurrent writer makes it
 * start over from fresh state, a few times.
 */
import { hasDrift } from '../../domain/profile-drift.js';
import type { ProfileDrift } from '../../domain/profile-drift.js';
import { decideSystemAdoption } from '../../domain/system-drift.js';
import { systemEventVersions } from '../../domain/system-events.js';
import type { SystemProfileState } from '../../domain/system-profile.js';
import { GenledgerError, refused } from '../../errors.js';
import type { NewEvent } from '../../ledger/event.js';
import type { SystemOp } from '../../projection/system-plan.js';
import { carryOutCopies } from '../bundle/foreign-paths.js';
import type { PlannedCopy } from '../bundle/foreign-paths.js';
import { planObservedCopies } from '../profile/observed-generations.js';
import { recordCheckpoint } from '../session/catch-up.js';
import { envelope } from '../session/event-envelope.js';
import type { Session } from '../session/session-context.js';
import { readSystemDrift } from './system-drift-check.js';
import { applySystem, planSystem } from './system-projector.js';
import { recordedSystemRoot } from './system-root.js';
import { foldSystem, loadSystemState, systemStream } from './system-stream.js';

export interface SystemAdoptOutcome {
  readonly drift: ProfileDrift;
  readonly events: readonly NewEvent[];
  readonly copies: readonly PlannedCopy[];
  readonly ops: readonly SystemOp[];
  readonly before: SystemProfileState;
  readonly after: SystemProfileState;
}

const maxAttempts = 3;

export async function adoptSystemChange(session: Session, options: { dryRun: boolean }): Promise<SystemAdoptOutcome> {
  for (let attempt = 1; ; attempt++) {
    const before = await loadSystemState(session.ledger);
    if (!before.exists) {
      throw refused('GENLEDGER_NO_SUCH_PROFILE', 'the system profile has no history in the ledger', "make its first generation with 'genledger system switch PATH'");
    }
    const root = await recordedSystemRoot(session);
    const { links, drift } = readSystemDrift(session, root, before);
    if (!hasDrift(drift)) return { drift, events: [], copies: [], ops: [], before, after: before };
    const event = decideSystemAdoption(before, links, drift);
    const found = new Set(event.data.generations.map((item) => item.generation));
    const changed = links.generations.filter((link) => found.has(link.number));
    for (const link of changed) requireStorePath(session, link.number, link.target);
    const now = session.world.now();
    const events = [envelope(session.world, now, event, systemEventVersions[event.type], session.options.reason)];
    const after = foldSystem(events.map((e) => ({ ...e, stream: systemStream, version: before.version + 1, prev: null, hash: '' })), before);
    const copies = await planObservedCopies(session, changed, new Map());
    if (options.dryRun) return { drift, events, copies, ops: await planSystem(session, after), before, after };
    await carryOutCopies(session.store, copies, { pid: session.world.pid, now });
    try {
      await session.ledger.append(systemStream, before.version, events);
    } catch (error) {
      if (error instanceof GenledgerError && error.code === 'GENLEDGER_VERSION_CONFLICT' && attempt < maxAttempts) continue;
      throw error;
    }
    const ops = await planSystem(session, after);
    await applySystem(session, ops);
    await recordCheckpoint(session);
    return { drift, events, copies, ops, before, after };
  }
}

function requireStorePath(session: Session, generation: number, target: string): void {
  const { storeDir } = session.store;
  if (storeDir.isStorePath(target)) return;
  throw refused(
    'GENLEDGER_STORE_DIR_MISMATCH',
    `system generation ${generation} points at ${target}, which is not a path of this home's store ${storeDir.path}`,
    'a system profile can only hold store paths of the store genledger uses',
  );
}
