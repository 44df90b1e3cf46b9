/**
 * The read side of the system profile: its generations as `nixos-rebuild
 * list-generations --json` lists them (NixOS and kernel version and
 * specialisations read from each toplevel as it does; the configuration
 * revision recorded when genledger built it, else read by running the
 * generation's `sw/bin/nixos-version --configuration-revision` as
 * nixos-rebuild does; who and why from the event that created the
 * generation; the date to the second, as its `jq todate`), and where booted, running and the boot
 * default stand, with the notes saying where they differ and why. Each
 * view is the stable `--json` shape of its command. Nothing here writes:
 * a boot the ledger has not recorded yet (the kernel's boot id differs
 * from the last `Booted`) is only reported, with what run/booted-system
 * says now, for observe-boot (or the next command that writes) to record.
 * A booted system that is no generation of the profile is named by path.
 */
import { currentBootId } from './boot-observation.js';
import { kernelVersionOf } from '../../domain/system-build.js';
import type { SystemEvent } from '../../domain/system-events.js';
import { rootOnDisk } from './observed-root.js';
import type { RootOnDisk } from './observed-root.js';
import { recordedSystemRoot } from './system-root.js';
import type { SystemStatusNote } from '../../domain/system-state.js';
import { generationPath, runningSystemPath, systemGenerationSummaries } from '../../domain/system-profile.js';
import type { LastActivation, SystemProfileState } from '../../domain/system-profile.js';
import { systemProfileStatus } from '../../domain/system-status.js';
import type { StoredEvent } from '../../ledger/event.js';
import type { Actor } from '../../world.js';
import type { Session } from '../session/session-context.js';
import { readConfigurationRevision } from './configuration-revision.js';
import { readToplevelFacts } from './toplevel-facts.js';
import { systemStream } from './system-stream.js';

export interface SystemGenerationView {
  readonly generation: number;
  /** Time of creation (the generation link's mtime) to the second, as nixos-rebuild's: 2024-06-01T12:00:00Z. */
  readonly date: string;
  /** The boot default (the system profile's current generation), as nixos-rebuild's `current`. */
  readonly current: boolean;
  readonly booted: boolean;
  readonly running: boolean;
  readonly systemPath: string;
  /** The configuration's `nixos-version` file, when it has one. */
  readonly nixosVersion: string | null;
  readonly kernelVersion: string | null;
  /** Recorded when genledger built it, else what its sw/bin/nixos-version --configuration-revision says (null: none). */
  readonly configurationRevision: string | null;
  readonly specialisations: readonly string[];
  /** Who created the generation and why (`--reason`); null when not recorded. */
  readonly who: Actor | null;
  readonly why: string | null;
}

export interface SystemPointer {
  readonly generation: number | null;
  readonly systemPath: string;
  readonly since: string | null;
}

export interface SystemStatusView {
  readonly profile: typeof systemStream;
  readonly bootDefault: SystemPointer | null;
  readonly running: (SystemPointer & { readonly test: boolean }) | null;
  readonly booted: SystemPointer | null;
  readonly inSync: boolean;
  readonly notes: readonly SystemStatusNote[];
  readonly lastActivation: LastActivation | null;
  /** On a real root: what its run/ and boot entries hold now (the activation's and the boot's, not genledger's); null on the simulated root. */
  readonly root: RootOnDisk | null;
  /** The kernel boot id of the last boot observed (`Booted`), or null. */
  readonly lastBootId: string | null;
  /** On a real root: the boot the kernel reports now when no `Booted` records it yet, and run/booted-system now; else null. */
  readonly unrecordedBoot: { readonly bootId: string; readonly bootedSystem: string | null } | null;
}

export async function systemGenerations(session: Session, state: SystemProfileState): Promise<SystemGenerationView[]> {
  const { bootDefault, booted, running } = state.machine;
  const creators = creatingEvents(await session.ledger.readStream(systemStream));
  return systemGenerationSummaries(state).map(({ number, createdAt, storePath }) => {
    const contents = session.store.location.physical(storePath);
    const facts = readToplevelFacts(contents);
    const made = creators.get(number);
    const build = made === undefined ? null : (made as unknown as SystemEvent & { type: 'SystemProfileSet' }).data.build;
    return {
      generation: number,
      date: new Date(createdAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      current: number === bootDefault,
      booted: number === booted,
      running: running?.kind === 'generation' && running.generation === number,
      systemPath: storePath,
      nixosVersion: facts.nixosVersion,
      kernelVersion: kernelVersionOf(facts),
      configurationRevision: build?.configurationRevision ?? readConfigurationRevision(contents),
      specialisations: [...facts.specialisations].sort(),
      who: made?.actor ?? null,
      why: made?.reason ?? null,
    };
  });
}

/**
 * The SystemProfileSet that created each generation number. A generation
 * made outside genledger and adopted has none: nothing recorded who made it.
 */
function creatingEvents(events: readonly StoredEvent[]): Map<number, StoredEvent> {
  const creators = new Map<number, StoredEvent>();
  for (const event of events) {
    const domainEvent = event as unknown as SystemEvent;
    if (domainEvent.type === 'SystemProfileSet' && domainEvent.data.created) creators.set(domainEvent.data.generation, event);
    if (domainEvent.type === 'SystemChangeObserved') for (const found of domainEvent.data.generations) creators.delete(found.generation);
  }
  return creators;
}

/** The status view with, on a real root, what the root holds now and a boot not recorded yet. */
export async function systemStatusOnRoot(session: Pick<Session, 'database' | 'world'>, state: SystemProfileState): Promise<SystemStatusView> {
  const root = await recordedSystemRoot(session);
  const view = systemStatusView(state);
  if (root.kind !== 'real') return view;
  const onDisk = rootOnDisk(root.dir);
  const bootId = currentBootId(session.world.env);
  if (bootId === null || bootId === state.lastBootId) return { ...view, root: onDisk };
  const message = `booted since the last recorded boot: boot id ${bootId}, run/booted-system -> ${onDisk.bootedSystem ?? 'none'}; 'genledger system observe-boot' records it`;
  const notes = [...view.notes, { kind: 'boot-not-recorded' as const, message }];
  return { ...view, root: onDisk, notes, inSync: false, unrecordedBoot: { bootId, bootedSystem: onDisk.bootedSystem } };
}

export function systemStatusView(state: SystemProfileState): SystemStatusView {
  const { bootDefault, booted, running } = state.machine;
  const runningPath = runningSystemPath(state);
  const notes = systemProfileStatus(state);
  // A boot of a system that is no generation here leaves no generation running or booted: it is named by its path.
  const unknownBooted = booted === null && state.bootedSystem !== null ? { generation: null, systemPath: state.bootedSystem, since: state.bootedSince } : null;
  return {
    profile: systemStream,
    bootDefault: pointer(state, bootDefault, state.bootDefaultSince),
    running:
      running === null || runningPath === null
        ? unknownBooted === null || running !== null
          ? null
          : { ...unknownBooted, since: state.runningSince, test: false }
        : { generation: running.kind === 'generation' ? running.generation : null, systemPath: runningPath, since: state.runningSince, test: running.kind === 'test' },
    booted: pointer(state, booted, state.bootedSince) ?? unknownBooted,
    inSync: notes.length === 0,
    notes,
    lastActivation: state.lastActivation,
    root: null,
    lastBootId: state.lastBootId,
    unrecordedBoot: null,
  };
}

function pointer(state: SystemProfileState, generation: number | null, since: string | null): SystemPointer | null {
  const systemPath = generationPath(state, generation);
  return systemPath === null ? null : { generation, systemPath, since };
}
