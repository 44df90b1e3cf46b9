/**
 * Which packages an event touched, and how: the facts `log --package` and
 * `blame` select events by. Each touch names the generation it happened in,
 * so an event that changes one package in several generations (an adoption
 * of several new links) yields one touch per generation.
 */
import type { PackageChange, ProfileEvent } from './profile-events.js';

export interface PackageTouch extends PackageChange {
  readonly generation: number;
}

export function packageTouches(event: ProfileEvent): PackageTouch[] {
  switch (event.type) {
    case 'PackagesInstalled': {
      const { generation } = event.data;
      return event.data.installed.map(({ name, storePaths }) => ({ name, change: 'installed', storePaths, generation }));
    }
    case 'PackagesRemoved': {
      const { generation } = event.data;
      return event.data.removed.map(({ name, storePaths }) => ({ name, change: 'removed', storePaths, generation }));
    }
    case 'PackagesUpgraded': {
      const { generation } = event.data;
      return event.data.upgraded.map(({ name, to }) => ({ name, change: 'upgraded', storePaths: to.storePaths, generation }));
    }
    case 'PriorityChanged':
      // The event does not repeat the element's store paths; its generation's manifest has them.
      return [{ name: event.data.name, change: 'priority', storePaths: [], generation: event.data.generation }];
    case 'GenerationImported':
      return event.data.changes.map((change) => ({ ...change, generation: event.data.generation }));
    case 'ExternalChangeObserved':
      return event.data.generations.flatMap((observed) => observed.changes.map((change) => ({ ...change, generation: observed.generation })));
    case 'ProfileCreated':
    case 'GenerationRestored':
    case 'GenerationSwitched':
    case 'GenerationsDeleted':
    case 'HistoryWiped':
    case 'ProfileImported':
    case 'EventQuarantined':
      return [];
    default:
      return assertNever(event);
  }
}

function assertNever(event: never): never {
  throw new Error(`unknown profile event ${JSON.stringify(event)}`);
}
