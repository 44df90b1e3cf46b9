/**
 * One line saying what an event changed, for `genledger log`. (Which
 * packages an event touched is the package index's business: see
 * domain/package-touches.ts.)
 */
import type { PackageChange, ProfileEvent } from '../../domain/profile-events.js';
import type { StoredEvent } from '../../ledger/event.js';

interface Named {
  name?: string;
  storePaths?: string[];
}

interface EventData {
  generation?: number;
  installed?: Named[];
  removed?: Named[];
  upgraded?: Array<{ name: string; to: { storePaths: string[] } }>;
  name?: string;
  from?: number | null;
  to?: number;
  generations?: number[];
  deleted?: string[];
  bytesFreed?: number;
  link?: string;
  profile?: string;
}

/** The events of import-nix and adopt, whose data says what was found on disk. */
function summarizeAdoption(event: ProfileEvent): string {
  switch (event.type) {
    case 'GenerationImported':
      return `imported generation ${event.data.generation} from ${event.data.source} (${event.data.format}): ${describeChanges(event.data.changes)}`;
    case 'ProfileImported': {
      const gaps = event.data.gaps.map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`));
      return `imported ${event.data.source} at generation ${event.data.current ?? 'none'}${gaps.length === 0 ? '' : `; generations ${gaps.join(', ')} were deleted before`}`;
    }
    case 'ExternalChangeObserved': {
      const { generations, deleted, current } = event.data;
      const parts = [
        ...generations.map((g) => `generation ${g.generation} found (${describeChanges(g.changes)})`),
        ...deleted.map((n) => `generation ${n} gone`),
        ...(current === undefined ? [] : [`profile moved from generation ${current.from ?? 'none'} to ${current.to ?? 'none'}`]),
      ];
      return `changed outside genledger: ${parts.join('; ')}`;
    }
    default:
      return event.type;
  }
}

function describeChanges(changes: readonly PackageChange[]): string {
  if (changes.length === 0) return 'no package changes';
  return changes.map((change) => `${change.change} ${change.name}`).join(', ');
}

export function summarize(event: StoredEvent): string {
  const data = event.data as EventData;
  const generation = data.generation === undefined ? '' : ` -> generation ${data.generation}`;
  switch (event.type) {
    case 'PackagesInstalled':
      return `installed ${(data.installed ?? []).map((e) => e.name).join(', ')}${generation}`;
    case 'PackagesRemoved':
      return `removed ${(data.removed ?? []).map((e) => e.name).join(', ')}${generation}`;
    case 'PackagesUpgraded':
      return `upgraded ${(data.upgraded ?? []).map((e) => e.name).join(', ')}${generation}`;
    case 'PriorityChanged':
      return `priority of ${data.name} ${data.from} -> ${data.to}${generation}`;
    case 'GenerationRestored':
      return `restored a deleted generation${generation}`;
    case 'GenerationSwitched':
      return `switched from generation ${data.from ?? 'none'} to ${data.to}`;
    case 'GenerationsDeleted':
    case 'HistoryWiped':
      return `deleted generations ${(data.generations ?? []).join(', ')}`;
    case 'GarbageCollected':
      return `deleted ${(data.deleted ?? []).length} store paths, ${data.bytesFreed ?? 0} bytes`;
    case 'GenerationImported':
    case 'ProfileImported':
    case 'ExternalChangeObserved':
      return summarizeAdoption(event as unknown as ProfileEvent);
    case 'EventQuarantined': {
      const quarantined = event.data as { type: string; rule: string };
      return `quarantined: a ${quarantined.type} skipped by every fold (${quarantined.rule})`;
    }
    case 'ProfileSwitched':
      return `pointed ${data.link} at ${data.profile}`;
    case 'RootAdded':
    case 'RootRemoved':
      return `${event.type === 'RootAdded' ? 'added' : 'removed'} root ${data.link}`;
    default:
      return event.type;
  }
}
