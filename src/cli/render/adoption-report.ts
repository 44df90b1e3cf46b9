/**
 * What `adopt` prints, for a profile or the system profile alike: the
 * drift found, the events recorded (or planned, with --dry-run) and the
 * store paths copied. The JSON shapes are documented in the README.
 */
import type { GenerationDrift, ProfileDrift } from '../../domain/profile-drift.js';
import type { NewEvent } from '../../ledger/event.js';
import type { World } from '../../world.js';
import type { GlobalOptions } from '../../app/session/session-options.js';

export interface AdoptionReport {
  readonly profile: string;
  readonly drift: ProfileDrift;
  readonly events: readonly NewEvent[];
  readonly copies: readonly { readonly path: string }[];
  /** The planned file operations, as --dry-run --json gives them. */
  readonly ops: readonly unknown[];
  /** The same, as the text output words them. */
  readonly described: readonly string[];
  /** The current generation afterwards (the boot default for the system profile). */
  readonly generation: number | null;
}

export function reportAdoption(world: World, options: GlobalOptions & { dryRun?: boolean }, report: AdoptionReport): void {
  const { profile, drift, events, copies, ops, described, generation } = report;
  if (options.json) {
    const base = { profile, drift: driftJson(drift) };
    const shape = options.dryRun
      ? { dryRun: true, ...base, events: events.map(({ type, v, data }) => ({ type, v, data })), copies: copies.map((copy) => copy.path), operations: ops }
      : { ...base, generation, events: events.map((event) => event.type), copied: copies.map((copy) => copy.path) };
    world.stdout.write(`${JSON.stringify(shape)}\n`);
    return;
  }
  const findings = driftLines(drift);
  if (options.dryRun) {
    if (events.length === 0) world.stdout.write('nothing to do\n');
    for (const line of findings) world.stdout.write(`found: ${line}\n`);
    for (const copy of copies) world.stdout.write(`would copy ${copy.path}\n`);
    for (const event of events) world.stdout.write(`would append ${event.type}\n`);
    for (const line of described) world.stdout.write(`would ${line}\n`);
    return;
  }
  if (options.quiet) return;
  if (events.length === 0) {
    world.stderr.write(`genledger: nothing to do; profile '${profile}' matches the disk\n`);
    return;
  }
  for (const line of findings) world.stderr.write(`genledger: found ${line}\n`);
  world.stderr.write(`genledger: recorded the change; profile '${profile}' is at generation ${generation ?? 'none'}\n`);
}

function driftJson(drift: ProfileDrift) {
  return {
    generations: drift.generations.map((item) =>
      item.kind === 'vanished'
        ? { generation: item.generation, kind: item.kind, ledgerPath: item.ledgerPath }
        : { generation: item.generation, kind: item.kind, target: item.link.target, ...(item.kind === 'retargeted' ? { ledgerPath: item.ledgerPath } : {}) },
    ),
    current: drift.current ?? null,
  };
}

function driftLines(drift: ProfileDrift): string[] {
  const lines = drift.generations.map(describeDrift);
  if (drift.current !== undefined) lines.push(`the profile link moved from generation ${drift.current.ledger ?? 'none'} to ${drift.current.disk ?? 'none'}`);
  return lines;
}

function describeDrift(item: GenerationDrift): string {
  switch (item.kind) {
    case 'appeared':
      return `new generation ${item.generation} -> ${item.link.target}`;
    case 'reappeared':
      return `generation ${item.generation} back on disk -> ${item.link.target}`;
    case 'retargeted':
      return `generation ${item.generation} now -> ${item.link.target} (was ${item.ledgerPath})`;
    case 'vanished':
      return `generation ${item.generation} deleted (was ${item.ledgerPath})`;
  }
}
