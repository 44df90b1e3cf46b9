/**
 * Projects the system stream's state onto its root: the plan is computed
 * from the state and the disk (the same value a dry run prints and verify
 * reports), then carried out. A home with no system events gets no system
 * files: nothing there is genledger's to manage. Temporary links a killed
 * switch left are removed last. On a simulated root the plan covers the
 * profile, run/ and the boot loader files in the home; on a real root only
 * the profile links nix-env would make, and their GC roots when Nix's
 * collector does not scan that root's profiles itself (then registered
 * through the Nix store, as for user profiles).
 */
import type { SystemProfileState } from '../../domain/system-profile.js';
import { listNames, readManagedFile, removeManagedFile, writeManagedFile } from '../../fsx/managed-file.js';
import { readEntry } from '../../fsx/read-entry.js';
import type { FsOp } from '../../projection/fs-op.js';
import { planLinks } from '../../projection/link-plan.js';
import { systemLayout } from '../../projection/system-layout.js';
import type { SystemPlace } from '../../projection/system-layout.js';
import { planSystemOps } from '../../projection/system-plan.js';
import type { SystemOp } from '../../projection/system-plan.js';
import { locationOfStream } from '../profile/profile-location.js';
import { applyLinks } from '../session/apply-links.js';
import { autoRootsDir } from '../session/auto-roots.js';
import { planNixProfileLinks } from '../session/nix-root-plan.js';
import type { Session } from '../session/session-context.js';
import { systemStream } from './system-stream.js';
import { isStoreOwnRoot, profilesDirOf, recordedSystemRoot } from './system-root.js';
import type { SystemRoot } from './system-root.js';
import { systemTemporaryLinks } from '../session/temporary-links.js';

type ProjectingSession = Pick<Session, 'home' | 'store' | 'nix' | 'database'>;

export function systemPlace(session: Pick<Session, 'home' | 'store'>, root: SystemRoot): SystemPlace {
  if (root.kind === 'real') {
    const dir = profilesDirOf(root.dir);
    return { profile: { link: `${dir}/system`, dir, base: 'system' }, autoRootsDir: autoRootsDir(session), volatile: null };
  }
  const { home } = session;
  const { link, dir, base } = locationOfStream(home, systemStream);
  return {
    profile: { link, dir, base },
    autoRootsDir: `${home.gcroots}/auto`,
    volatile: { currentSystemLink: `${home.run}/current-system`, bootedSystemLink: `${home.run}/booted-system`, bootDir: home.boot },
  };
}

/** `root`: the one recorded in the home unless given (a dry run's, not recorded yet). */
export async function planSystem(session: ProjectingSession, state: SystemProfileState, root?: SystemRoot): Promise<SystemOp[]> {
  if (!state.exists) return [];
  const where = root ?? (await recordedSystemRoot(session));
  const place = systemPlace(session, where);
  const layout = systemLayout(state, place);
  const temporaries = systemTemporaryLinks(place).map((path): SystemOp => ({ op: 'unlink', path }));
  if (where.kind === 'real' && session.store.kind === 'nix') {
    const own = session.nix !== null && isStoreOwnRoot(where.dir, session.nix.stateDir);
    const links = own ? planLinks({ ...layout.profile, autoRoots: [], staleAutoRoots: [] }, readEntry) : await planNixProfileLinks(session.store, layout.profile, readEntry);
    return [...links, ...temporaries];
  }
  return [...planSystemOps(layout, { entry: readEntry, file: readManagedFile, names: listNames }), ...temporaries];
}

/** Carries out a plan: link operations through applyLinks (a Nix store registers the GC roots itself; `session.faults` is the crash tests' hook between a temporary link and its rename). */
export async function applySystem(session: Pick<Session, 'store' | 'world' | 'faults'>, ops: readonly SystemOp[]): Promise<void> {
  let links: FsOp[] = [];
  for (const op of ops) {
    if (op.op === 'write' || op.op === 'remove') {
      await applyLinks(session, links);
      links = [];
      if (op.op === 'write') writeManagedFile(op.path, op.content, session.world.pid);
      else removeManagedFile(op.path);
    } else links.push(op);
  }
  await applyLinks(session, links);
}
