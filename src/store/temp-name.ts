/**
 * Names for work in progress inside the store directory. They start with a
 * dot, so they can never be mistaken for a store path, and carry the pid so
 * a crashed run's leftovers are recognisable: `gc` deletes an entry of this
 * exact shape once its process is gone, and nothing else it does not know.
 */
import { randomBytes } from 'node:crypto';

export const tempPrefix = '.tmp-';

const TEMP_NAME = /^\.tmp-([1-9]\d{0,9})-[0-9a-f]{12}$/;

export function tempName(pid: number): string {
  return `${tempPrefix}${pid}-${randomBytes(6).toString('hex')}`;
}

/** The pid of a name `tempName` made, or null for any other name. */
export function pidOfTempName(name: string): number | null {
  const match = TEMP_NAME.exec(name);
  return match === null ? null : Number(match[1]);
}
