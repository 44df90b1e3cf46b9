/**
 * The store paths the system stream needs on a machine that projects it:
 * every live generation's configuration (each is a generation link and a
 * boot entry), and what the running and
 * booted links point at, which a test activation can make a path that is
 * no generation.
 */
import { generationPath, runningSystemPath } from '../../domain/system-profile.js';
import type { SystemProfileState } from '../../domain/system-profile.js';

export function systemStorePaths(state: SystemProfileState): string[] {
  const paths = new Set(Object.values(state.generations).map((generation) => generation.systemPath));
  for (const path of [runningSystemPath(state), generationPath(state, state.machine.booted)]) if (path !== null) paths.add(path);
  return [...paths].sort();
}
