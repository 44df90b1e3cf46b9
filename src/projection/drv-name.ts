/**
 * Package names and versions as Nix derives them from store path names
 * (`DrvName`): the name is everything before the first `-` followed by a
 * character that is not an ASCII letter, the version is what follows that
 * dash. `pkga-1.0` → (pkga, 1.0); `apache-httpd-2.0.48` → (apache-httpd,
 * 2.0.48); `hello` → (hello, '').
 */

import { HASH_PART_LENGTH } from '../store/store-path.js';
import { stringSet } from './string-set.js';

export interface DrvName {
  readonly name: string;
  readonly version: string;
}

export function parseDrvName(fullName: string): DrvName {
  for (let i = 0; i + 1 < fullName.length; i++) {
    if (fullName[i] === '-' && !isAsciiLetter(fullName.charCodeAt(i + 1))) {
      return { name: fullName.slice(0, i), version: fullName.slice(i + 1) };
    }
  }
  return { name: fullName, version: '' };
}

/** The name part of a store path: its base name without the hash and the dash. */
export function storePathName(storePath: string): string {
  const baseName = storePath.slice(storePath.lastIndexOf('/') + 1);
  return baseName.slice(HASH_PART_LENGTH + 1);
}

/** The distinct DrvName names of some store paths, in byte order (Nix keeps them in a `std::set`). */
export function sortedPackageNames(storePaths: Iterable<string>): string[] {
  return stringSet([...storePaths].map((path) => parseDrvName(storePathName(path)).name));
}

/** Like C `isalpha` in the C locale, which is what Nix calls. */
function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}
