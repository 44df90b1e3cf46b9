/**
 * The read side of the system profile: its generations as `nixos-rebuild
 * list-generations` lists them, and where booted, running and the boot
 * default stand, with the notes saying where they differ and why. Each
 * view is the stable `--json` shape of its command. Nothing here writes.
 */
import { readFileSync } from 'node:fs';
import type { SystemStatusNote } from '../../domain/system-state.js';
import { generationPath, runningSystemPath, systemGenerationSummaries } from '../../domain/system-profile.js';
import type { LastActivation, SystemProfileState } from '../../domain/system-profile.js';
import { systemProfileStatus } from '../../domain/system-status.js';
import type { Session } from '../session/session-context.js';
import { systemStream } from './system-stream.js';

export interface SystemGenerationView {
  readonly generation: number;
  /** ISO time of creation: the generation link's mtime. */
  readonly date: string;
  /** The boot default (the system profile's current generation), as nixos-rebuild's `current`. */
  readonly current: boolean;
  readonly booted: boolean;
  readonly running: boolean;
  readonly systemPath: string;
  /** The configuration's `nixos-version` file, when it has one. */
  readonly nixosVersion: string | null;
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
}

export function systemGenerations(session: Session, state: SystemProfileState): SystemGenerationView[] {
  const { bootDefault, booted, running } = state.machine;
  return systemGenerationSummaries(state).map(({ number, createdAt, storePath }) => ({
    generation: number,
    date: new Date(createdAt * 1000).toISOString(),
    current: number === bootDefault,
    booted: number === booted,
    running: running?.kind === 'generation' && running.generation === number,
    systemPath: storePath,
    nixosVersion: nixosVersionOf(session, storePath),
  }));
}

export function systemStatusView(state: SystemProfileState): SystemStatusView {
  const { bootDefault, booted, running } = state.machine;
  const runningPath = runningSystemPath(state);
  const notes = systemProfileStatus(state);
  return {
    profile: systemStream,
    bootDefault: pointer(state, bootDefault, state.bootDefaultSince),
    running:
      running === null || runningPath === null
        ? null
        : { generation: running.kind === 'generation' ? running.generation : null, systemPath: runningPath, since: state.runningSince, test: running.kind === 'test' },
    booted: pointer(state, booted, state.bootedSince),
    inSync: notes.length === 0,
    notes,
    lastActivation: state.lastActivation,
  };
}

function pointer(state: SystemProfileState, generation: number | null, since: string | null): SystemPointer | null {
  const systemPath = generationPath(state, generation);
  return systemPath === null ? null : { generation, systemPath, since };
}

function nixosVersionOf(session: Session, systemPath: string): string | null {
  try {
    return readFileSync(`${session.store.location.physical(systemPath)}/nixos-version`, 'utf8').trim();
  } catch {
    return null;
  }
}
