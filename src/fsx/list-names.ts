/** The entry names of a directory, or none when it does not exist (yet). */
import { readdirSync } from 'node:fs';

export function listNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
