/**
 * Boots observed on a real root, instead of simulated: the kernel's boot id
 * (`/proc/sys/kernel/random/boot_id`, a new random value each boot) is
 * compared with the last one recorded; a different one appends `Booted`
 * with what run/booted-system names (NixOS's stage 2 sets it), the
 * generation with that path and its kernel. The fold then has the booted
 * generation running, so a `test` activation from before the boot is gone.
 * It runs when a command that writes opens the home (once a real root is
 * recorded), before each system command, and for `system observe-boot`.
 * GENLEDGER_TEST_BOOT_ID_FILE is a test hook: the file read instead of the
 * kernel's, so tests can "boot" by rewriting it.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { kernelVersionOf } from '../../domain/system-build.js';
import type { SystemEvent, SystemEventMap } from '../../domain/system-events.js';
import { systemEventVersions } from '../../domain/system-events.js';
import { systemGenerationSummaries } from '../../domain/system-profile.js';
import type { SystemProfileState } from '../../domain/system-profile.js';
import { refused } from '../../errors.js';
import { recordCheckpoint } from '../session/catch-up.js';
import { envelope } from '../session/event-envelope.js';
import type { Session } from '../session/session-context.js';
import { applySystem, planSystem } from './system-projector.js';
import { recordedSystemRoot, resolveSystemRoot } from './system-root.js';
import { foldSystem, loadSystemState, systemStream } from './system-stream.js';
import { readToplevelFacts } from './toplevel-facts.js';

type Booted = SystemEventMap['Booted'];

export const bootIdFileVariable = 'GENLEDGER_TEST_BOOT_ID_FILE';

const kernelBootIdFile = '/proc/sys/kernel/random/boot_id';

/** The boot a session recorded when it opened, so observe-boot can report it as its own. */
const recordedAtOpen = new WeakMap<Session, Booted>();

/** Every command that writes, once a real root is recorded: the first one after a boot records it (session.ts). */
export async function observeBootOnRecordedRoot(session: Session): Promise<void> {
  const root = await recordedSystemRoot(session);
  if (root.kind !== 'real') return;
  const booted = await observeBoot(session, root.dir);
  if (booted !== null) recordedAtOpen.set(session, booted);
}

/** `system observe-boot` (a boot-time unit's command): refused on a simulated root, whose reboots are `system reboot`. */
export async function observeBootCommand(session: Session, root: string | undefined): Promise<Booted | null> {
  const where = await resolveSystemRoot(session, root, true);
  if (where.kind === 'simulated') {
    throw refused('GENLEDGER_NOT_A_REAL_ROOT', 'observe-boot reads the boot of a real root, and this home manages the simulated root inside it', "use --store nix or --root DIR; on the simulated root, 'genledger system reboot' records a reboot");
  }
  const booted = recordedAtOpen.get(session) ?? (await observeBoot(session, where.dir));
  await recordCheckpoint(session);
  return booted;
}

/** Appends `Booted` when the machine booted since the last one recorded; the event's data, or null when it did not (or there is no boot id to read). */
export async function observeBoot(session: Session, rootDir: string): Promise<Booted | null> {
  const bootId = currentBootId(session.world.env);
  if (bootId === null) return null;
  const state = await loadSystemState(session.ledger);
  if (state.lastBootId === bootId) return null;
  const bootedSystem = readLink(join(rootDir, 'run', 'booted-system'));
  const event: Extract<SystemEvent, { type: 'Booted' }> = {
    type: 'Booted',
    data: { bootId, bootedSystem, generation: generationWithPath(state, bootedSystem), kernel: bootedSystem === null ? null : kernelOf(session, bootedSystem), at: session.world.now().toISOString() },
  };
  const stored = await session.ledger.append(systemStream, state.version, [envelope(session.world, session.world.now(), event, systemEventVersions.Booted, session.options.reason)]);
  await applySystem(session, await planSystem(session, foldSystem(stored, state)));
  return event.data;
}

function generationWithPath(state: SystemProfileState, systemPath: string | null): number | null {
  if (systemPath === null) return null;
  const matching = systemGenerationSummaries(state).filter((generation) => generation.storePath === systemPath);
  return matching.at(-1)?.number ?? null;
}

function kernelOf(session: Session, systemPath: string): string | null {
  const contents = session.store.storeDir.isStorePath(systemPath) ? session.store.location.physical(systemPath) : systemPath;
  return kernelVersionOf(readToplevelFacts(contents));
}

/** The kernel's boot id now (the test hook's file when set); null when there is none to read. */
export function currentBootId(env: Session['world']['env']): string | null {
  return readBootId(env[bootIdFileVariable] ?? kernelBootIdFile);
}

function readBootId(file: string): string | null {
  try {
    const id = readFileSync(file, 'utf8').trim();
    return id === '' ? null : id;
  } catch {
    return null;
  }
}

function readLink(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}
