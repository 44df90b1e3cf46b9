/**
 * One line saying what an event changed, for `genledger log`, and the
 * package names an event touches, for `log --package`.
 */
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
}

export function packagesOf(event: StoredEvent): string[] {
  const data = event.data as EventData;
  return [
    ...(data.installed ?? []).map((e) => e.name ?? ''),
    ...(data.removed ?? []).map((e) => e.name ?? ''),
    ...(data.upgraded ?? []).map((e) => e.name),
    ...(event.type === 'PriorityChanged' && data.name !== undefined ? [data.name] : []),
  ].filter((name) => name !== '');
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
    case 'RootAdded':
    case 'RootRemoved':
      return `${event.type === 'RootAdded' ? 'added' : 'removed'} root ${data.link}`;
    default:
      return event.type;
  }
}
