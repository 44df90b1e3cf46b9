/**
 * The store paths a profile's history names, split by need. Projecting the
 * profile needs the packages of every live generation (their profile paths
 * can be rebuilt from them); the profile paths themselves, and whatever
 * deleted generations held, are worth carrying when they are at hand (so a
 * generation can be restored and every path is byte-identical), but their
 * absence breaks nothing.
 */
import type { ProfileState } from '../../domain/profile-state.js';

export interface ProfileStorePaths {
  /** Element store paths of the live generations. */
  readonly required: readonly string[];
  /** Every generation's profile path, and the elements only deleted generations hold. */
  readonly optional: readonly string[];
}

export function profileStorePaths(states: Iterable<ProfileState>): ProfileStorePaths {
  const required = new Set<string>();
  const optional = new Set<string>();
  for (const state of states) {
    for (const generation of Object.values(state.generations)) {
      optional.add(generation.profilePath);
      const elements = generation.manifest.elements.flatMap((element) => element.storePaths);
      for (const path of elements) (generation.deleted ? optional : required).add(path);
    }
  }
  for (const path of required) optional.delete(path);
  return { required: [...required].sort(), optional: [...optional].sort() };
}
