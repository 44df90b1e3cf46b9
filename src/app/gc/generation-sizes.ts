/**
 * `profile list-generations --size`: for each generation of a profile, the
 * closure size and the bytes only its link keeps alive, read off `root
 * list` by the generation link's path (`<dir>/<base>-N-link`), since that
 * link is the root deleting the generation removes.
 */
import { dirname, basename } from 'node:path';
import { parseGenerationLinkName } from '../../domain/generation-link-name.js';
import { sessionProfile } from '../profile/session-profile.js';
import type { Session } from '../session/session-context.js';
import { listRootSizes } from './root-list.js';

export interface GenerationSize {
  readonly closureSize: number;
  readonly exclusiveSize: number;
}

/** By generation number; a generation whose link is not a root (its link is gone from disk) is absent. */
export async function generationSizes(session: Session, profile: string | undefined): Promise<ReadonlyMap<number, GenerationSize>> {
  const { dir, base } = sessionProfile(session, profile);
  const sizes = new Map<number, GenerationSize>();
  for (const root of await listRootSizes(session)) {
    if (dirname(root.link) !== dir) continue;
    const number = parseGenerationLinkName(base, basename(root.link));
    if (number !== null) sizes.set(number, { closureSize: root.closureSize, exclusiveSize: root.exclusiveSize });
  }
  return sizes;
}
