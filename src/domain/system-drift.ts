/**
 * Drift on the system profile: its directory (`system-N-link`s and the
 * `system` link) compared with the system stream, by the same rules as any
 * profile's (profile-drift.ts), and the one event `adopt -p system` records
 * for it. Nix numbers what `nix-env --set` or nixos-rebuild made; the event
 * keeps those numbers, the targets and the link mtimes as found. Pure.
 */
import { refused } from '../errors.js';
import type { ObservedLinks } from './observed-profile.js';
import { linkDrift } from './profile-drift.js';
import type { ProfileDrift } from './profile-drift.js';
import type { SystemEvent } from './system-events.js';
import type { SystemProfileState } from './system-profile.js';

export function systemDrift(state: SystemProfileState, links: ObservedLinks): ProfileDrift {
  const live = new Map(Object.values(state.generations).map((generation) => [generation.number, generation.systemPath] as const));
  return linkDrift({ live, deleted: new Set(state.deletedGenerations), current: state.machine.bootDefault }, links);
}

/**
 * A generation that runs or was booted keeps its link: the running and
 * booted systems are named by generation, so a change that deletes one
 * cannot be recorded as it stands.
 */
export function decideSystemAdoption(state: SystemProfileState, links: ObservedLinks, drift: ProfileDrift): Extract<SystemEvent, { type: 'SystemChangeObserved' }> {
  const deleted = drift.generations.filter((item) => item.kind === 'vanished').map((item) => item.generation);
  const { running, booted } = state.machine;
  const needed = deleted.find((number) => number === booted || (running?.kind === 'generation' && running.generation === number));
  if (needed !== undefined) {
    throw refused(
      'GENLEDGER_SYSTEM_GENERATION_IN_USE',
      `system generation ${needed} runs or was booted, but its link is gone from the system profile`,
      `put the link back (ln -s ${state.generations[needed]?.systemPath ?? 'PATH'} system-${needed}-link beside the system link), then run genledger adopt -p system`,
    );
  }
  const generations = drift.generations.flatMap((item) =>
    item.kind === 'vanished' ? [] : [{ generation: item.generation, systemPath: item.link.target, createdAt: item.link.mtime, linkOwner: item.link.owner }],
  );
  const bootDefault = drift.current === undefined ? {} : { bootDefault: { from: drift.current.ledger, to: drift.current.disk, since: links.currentSince } };
  return { type: 'SystemChangeObserved', data: { generations, deleted, ...bootDefault } };
}
