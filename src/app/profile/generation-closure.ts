/**
 * A generation's closure as the store holds it now, with NAR sizes, for
 * closure diffs. The roots are the generation's user environment or, when
 * that is not valid (a deleted generation after a collection, or one a dry
 * run only plans), the element store paths that are; element paths the
 * store lacks are listed with an unknown size so their versions still show.
 * A system generation's side has its toplevel as the one direct path.
 */
import { currentGeneration } from '../../domain/profile-state.js';
import type { ProfileManifest } from '../../domain/profile-manifest.js';
import type { ProfileState } from '../../domain/profile-state.js';
import { diffClosures } from '../../projection/closure-diff.js';
import type { ClosureDiff, ClosurePath, ClosureSide } from '../../projection/closure-diff.js';
import type { StoreCore } from '../../store/store.js';

export interface ClosureSource {
  readonly manifest: ProfileManifest;
  readonly profilePath?: string;
}

export async function generationClosure(store: StoreCore, generation: ClosureSource | null): Promise<ClosureSide> {
  if (generation === null) return { paths: [], direct: [] };
  return closureSide(store, generation.manifest.elements.flatMap((element) => element.storePaths), generation.profilePath);
}

/** The closure of `profilePath` (or, when it is not valid, of the valid `direct` paths), `direct` being what a change is direct for. */
export async function closureSide(store: StoreCore, direct: readonly string[], profilePath?: string): Promise<ClosureSide> {
  const validDirect: string[] = [];
  for (const path of direct) if (await store.isValid(path)) validDirect.push(path);
  const roots = profilePath !== undefined && (await store.isValid(profilePath)) ? [profilePath] : validDirect;
  const closure = await store.closure(roots);
  const known = new Set(closure);
  const paths: ClosurePath[] = [];
  for (const path of closure) paths.push({ path, narSize: (await store.requireInfo(path)).narSize });
  for (const path of direct) {
    if (!known.has(path)) paths.push({ path, narSize: null });
    known.add(path);
  }
  return { paths, direct, ...(profilePath === undefined ? {} : { profilePath }) };
}

/** The closure changes between the current generations of two states of a profile. */
export async function stateChanges(store: StoreCore, before: ProfileState, after: ProfileState): Promise<ClosureDiff> {
  return diffClosures(await generationClosure(store, currentGeneration(before)), await generationClosure(store, currentGeneration(after)));
}
