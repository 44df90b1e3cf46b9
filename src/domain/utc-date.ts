/**
 * `YYYY-MM-DD` in UTC for an epoch-seconds value: the date `nix profile
 * history` prints (gmtime) and the date in boot entries. Using UTC keeps the
 * same ledger rendering the same bytes on every machine. `Date` serves only
 * as a calendar over the value passed in, never as a clock.
 */

export function formatUtcDate(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  const month = String(date.getUTCMonth() + 1).padStart(2, '0');
  const day = String(date.getUTCDate()).padStart(2, '0');
  return `${date.getUTCFullYear()}-${month}-${day}`;
}
