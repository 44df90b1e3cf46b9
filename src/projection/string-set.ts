/**
 * Nix keeps packages, store paths, names and versions in `std::set<std::string>`:
 * distinct, ordered by their UTF-8 bytes. Listing a set the way Nix lists it
 * is what makes the bytes of manifests and the order of links match.
 */

import { compareUtf8 } from '../store/nar-tree.js';

export function stringSet(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareUtf8);
}
