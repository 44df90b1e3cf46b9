/**
 * Whether some process holds LevelDB's lock on a database, found without
 * taking it: LevelDB locks `db/LOCK` with fcntl (a POSIX record lock),
 * which Linux lists in /proc/locks by device and inode. Taking the lock to
 * find out would be no safer: a POSIX lock belongs to the process, and
 * closing any descriptor of the file would drop the lock LevelDB itself
 * takes a moment later in this process.
 *
 * Where /proc/locks cannot be read (not Linux), the lock counts as free:
 * the table check then judges what it reads, after reading it twice.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** True when a process (this one included) holds the fcntl lock on `<dir>/LOCK`. */
export function databaseLockHeld(dir: string): boolean {
  let stats;
  let locks: string;
  try {
    stats = statSync(join(dir, 'LOCK'), { bigint: true });
    locks = readFileSync('/proc/locks', 'latin1');
  } catch {
    return false;
  }
  // Linux's dev_t: the major number in bits 8-19 and 32 up, the minor in bits 0-7 and 20-31.
  const major = ((stats.dev >> 8n) & 0xfffn) | ((stats.dev >> 32n) & ~0xfffn);
  const minor = (stats.dev & 0xffn) | ((stats.dev >> 12n) & ~0xffn);
  for (const line of locks.split('\n')) {
    const found = /^\d+: POSIX\s+\S+\s+WRITE\s+\d+\s+([0-9a-f]+):([0-9a-f]+):(\d+)\s/.exec(line);
    if (found === null) continue;
    if (BigInt(`0x${found[1]}`) === major && BigInt(`0x${found[2]}`) === minor && BigInt(found[3] as string) === stats.ino) return true;
  }
  return false;
}
