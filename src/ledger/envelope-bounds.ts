/**
 * What an event envelope from outside must also be, beyond the shape every
 * stored event has (event.ts): its time within sane bounds — not before
 * 1970 and not after the importing machine's clock plus a small skew, so a
 * bundle cannot date history into the future and have every later command
 * sort after it — and its `sig`, when present, of the `keyname:base64`
 * form with a 64-byte Ed25519 signature, so a malformed one is refused on
 * the way in rather than met by every later verify.
 */
import type { StoredEvent } from './event.js';

/** How far ahead of this machine's clock an event may be dated: clocks differ. */
export const MAX_CLOCK_SKEW_MS = 10 * 60 * 1000;

const SIG = /^[A-Za-z0-9._+-][A-Za-z0-9._+@-]{0,127}:[A-Za-z0-9+/]{86}==$/;

/** Why `event`'s envelope is out of bounds at `now`, or null. */
export function envelopeBoundsProblem(event: Pick<StoredEvent, 'at' | 'sig'>, now: Date): string | null {
  const at = Date.parse(event.at);
  if (!(at >= 0)) return `its time ${event.at} is before 1970`;
  if (at > now.getTime() + MAX_CLOCK_SKEW_MS) return `its time ${event.at} is in the future`;
  if (event.sig !== undefined && !SIG.test(event.sig)) return 'its sig is not of the form keyname:base64 with a 64-byte signature';
  if (event.sig !== undefined && Buffer.from(event.sig.slice(event.sig.indexOf(':') + 1), 'base64').length !== 64) return 'its sig is not a 64-byte signature';
  return null;
}
