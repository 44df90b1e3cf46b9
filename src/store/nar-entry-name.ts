/**
 * Which directory entry names a NAR may carry (spec 3.4): non-empty, not `.`
 * or `..`, without `/` or NUL. These are exactly the names that cannot escape
 * or alias the directory they are restored into.
 */

const SLASH = 0x2f;
const DOT = 0x2e;

/** Why the raw name bytes are not a valid entry name, or undefined if they are. */
export function entryNameProblem(name: Uint8Array): string | undefined {
  if (name.length === 0) return 'an empty entry name';
  if (name[0] === DOT && (name.length === 1 || (name.length === 2 && name[1] === DOT))) {
    return `the entry name '${Buffer.from(name).toString()}'`;
  }
  if (name.includes(SLASH)) return `an entry name containing '/'`;
  if (name.includes(0)) return 'an entry name containing a NUL byte';
  return undefined;
}

/** The same rule for a name held as text; lone surrogates have no UTF-8 bytes and are refused too. */
export function entryNameTextProblem(name: string): string | undefined {
  if (name === '' || name === '.' || name === '..') return entryNameProblem(Buffer.from(name));
  if (name.includes('/')) return `an entry name containing '/'`;
  if (name.includes('\0')) return 'an entry name containing a NUL byte';
  if (/\p{Cs}/u.test(name)) return 'an entry name that is not valid Unicode';
  return undefined;
}
