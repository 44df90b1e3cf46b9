/**
 * Names for work in progress inside the store directory. They start with a
 * dot, so they can never be mistaken for a store path, and carry the pid so
 * a crashed run's leftovers are recognisable; `gc` deletes them.
 */
import { randomBytes } from 'node:crypto';

export const tempPrefix = '.tmp-';

export function tempName(pid: number): string {
  return `${tempPrefix}${pid}-${randomBytes(6).toString('hex')}`;
}
