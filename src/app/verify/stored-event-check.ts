/**
 * `verify`'s view of a profile stream already in the home: whether it
 * keeps the domain's rules (profile-stream-rules.ts), as the import gate
 * now demands of every incoming event. A home written by an older
 * genledger may hold events that gate would refuse; folding or projecting
 * them could throw, so verify reports the first such event as an
 * `invalid-event` problem (exit 4) and checks nothing else of that
 * profile, instead of failing as a bug.
 */
import type { ProfileEvent } from '../../domain/profile-events.js';
import { profileStreamRuleBreak } from '../../domain/profile-stream-rules.js';
import type { StoredEvent } from '../../ledger/event.js';
import type { StoreDir } from '../../store/store-path.js';

export interface InvalidEventProblem {
  readonly kind: 'invalid-event';
  readonly stream: string;
  readonly message: string;
}

export function invalidEventProblem(stream: string, events: readonly StoredEvent[], storeDir: StoreDir): InvalidEventProblem | null {
  const ruleBreak = profileStreamRuleBreak(
    events.map((event) => ({ event: event as unknown as ProfileEvent, meta: { at: event.at, version: event.version } })),
    (path) => storeDir.isStorePath(path),
  );
  if (ruleBreak === null) return null;
  return { kind: 'invalid-event', stream, message: `event ${ruleBreak.version} of '${stream}' is invalid: ${ruleBreak.rule}; profile '${stream}' was not checked further` };
}
