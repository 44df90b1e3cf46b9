/**
 * The gate every event from outside passes before anything is written
 * (bundles; import-nix's events, made from files on disk): the stream name
 * against the reserved ones (`system` holds only system events, the
 * bookkeeping streams `gc` and `roots` never come from outside), each new
 * event's envelope within bounds (envelope-bounds.ts), and the whole
 * stream, local events first, against the domain's rules
 * (profile-stream-rules.ts, or system-stream-rules.ts for `system`). A refusal names the event by stream and
 * version and the rule it breaks: exit 4, GENLEDGER_INVALID_EVENT.
 */
import { profileEventVersions } from '../../domain/profile-events.js';
import type { ProfileEvent } from '../../domain/profile-events.js';
import { profileStreamRuleBreak } from '../../domain/profile-stream-rules.js';
import { systemEventVersions } from '../../domain/system-events.js';
import type { SystemEvent } from '../../domain/system-events.js';
import { systemStreamRuleBreak } from '../../domain/system-stream-rules.js';
import { integrityError } from '../../errors.js';
import type { GenledgerError } from '../../errors.js';
import { envelopeBoundsProblem } from '../../ledger/envelope-bounds.js';
import type { StoredEvent } from '../../ledger/event.js';
import type { StoreDir } from '../../store/store-path.js';
import { gcStream, profileSwitchStream, rootsStream } from '../session/bookkeeping-streams.js';
import { systemStream } from '../system/system-stream.js';

export function invalidEvent(stream: string, version: number, rule: string): GenledgerError {
  return integrityError(
    'GENLEDGER_INVALID_EVENT',
    `event ${version} of '${stream}' is invalid: ${rule}`,
    'nothing was written; the input is damaged or was forged — export it again from the origin',
  );
}

export interface CheckContext {
  readonly now: Date;
  readonly storeDir: StoreDir;
}

/**
 * Checks a stream about to receive `fresh` events: `stream` holds the whole
 * stream as it will be (upcast, version 1 first), the last `fresh` of them new.
 */
export function checkIncomingStream(streamName: string, stream: readonly StoredEvent[], fresh: number, context: CheckContext): void {
  const first = stream[stream.length - fresh];
  if (first === undefined) return;
  if (streamName === gcStream || streamName === rootsStream || streamName === profileSwitchStream) throw invalidEvent(streamName, first.version, `'${streamName}' is a bookkeeping stream of this home, which no import may write`);
  const wanted = streamName === systemStream ? systemEventVersions : profileEventVersions;
  for (const event of stream.slice(stream.length - fresh)) {
    if (!Object.hasOwn(wanted, event.type) && (Object.hasOwn(profileEventVersions, event.type) || Object.hasOwn(systemEventVersions, event.type))) {
      throw invalidEvent(streamName, event.version, streamName === systemStream ? `a ${event.type} is a profile event, and the system stream holds only system events` : `a ${event.type} is a system event, and a profile stream holds only profile events`);
    }
    if (event.type === 'EventQuarantined') throw invalidEvent(streamName, event.version, 'an EventQuarantined is what a reader sees in place of a quarantined event, never a stored event');
    const problem = envelopeBoundsProblem(event, context.now);
    if (problem !== null) throw invalidEvent(streamName, event.version, problem);
  }
  const ruleBreak = streamName === systemStream ? systemRuleBreak(stream, context.storeDir) : profileStreamRuleBreak(
    stream.map((event) => ({ event: event as unknown as ProfileEvent, meta: { at: event.at, version: event.version } })),
    (path) => context.storeDir.isStorePath(path),
  );
  if (ruleBreak !== null) throw invalidEvent(streamName, ruleBreak.version, ruleBreak.rule);
}

function systemRuleBreak(stream: readonly StoredEvent[], storeDir: StoreDir) {
  return systemStreamRuleBreak(
    stream.map((event) => ({ event: event as unknown as SystemEvent, meta: { at: event.at, version: event.version } })),
    (path) => storeDir.isStorePath(path),
  );
}
