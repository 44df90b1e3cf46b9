/**
 * What `genledger log` accepts beyond the log's own points: event types in
 * any case (listing the valid ones on a bad one), relative times (`2h`
 * ago) for --since and --until, and the count of -n.
 */
import { usageError } from '../errors.js';
import { profileEventVersions } from '../domain/profile-events.js';
import { parseDuration } from '../domain/retention-policy.js';
import { systemEventVersions } from '../domain/system-events.js';

/** Every type the log may hold: profile and system events, and the home's bookkeeping (gc, roots, switch-profile). */
/** The filters `log` and `fleet log` take, as commander parses them. */
export interface LogFilterOptions {
  user?: string;
  package?: string;
  type?: string;
  since?: string;
  until?: string;
  n?: string;
  reverse?: boolean;
}

export const logEventTypes: readonly string[] = [
  ...Object.keys(profileEventVersions),
  ...Object.keys(systemEventVersions),
  'GarbageCollected',
  'RootAdded',
  'RootRemoved',
  'ProfileSwitched',
].sort();

export function eventTypeFilter(text: string): string {
  const type = logEventTypes.find((candidate) => candidate.toLowerCase() === text.toLowerCase());
  if (type === undefined) throw usageError('GENLEDGER_BAD_OPTION', `--type '${text}' is not an event type`, `the types: ${logEventTypes.join(', ')}`);
  return type;
}

/** `30m`, `2h`, `1d`, `2w` mean that long before `now`; anything else is left to the log's own points (seq or time). */
export function relativeTime(text: string, now: Date): string | undefined {
  if (!/^\d+[smhdw]$/.test(text)) return undefined;
  return new Date(now.getTime() - parseDuration(text) * 1000).toISOString();
}

export function eventCount(text: string): number {
  if (!/^\d{1,9}$/.test(text)) throw usageError('GENLEDGER_BAD_OPTION', `-n takes a number of events, not '${text}'`);
  return Number(text);
}
