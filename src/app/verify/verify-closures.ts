/**
 * verify's check that every live generation can be used, not only linked:
 * its profile store path (for the system profile, its configuration) and
 * every path in that path's closure must be registered in the store and
 * present on disk. A path missing is a `closure-missing` problem naming the
 * profile, the generation and the path; Nix would fail to read or run that
 * generation. A profile store path that is missing is not one of these:
 * replay rebuilds it from its packages (verify names it as a projection
 * problem), so then its packages' closures are checked instead. Closures
 * are shared by most generations, so each path is looked up once.
 */
import { existsSync } from 'node:fs';
import type { Store } from '../../store/store.js';
import { systemStream } from '../system/system-stream.js';

export interface LiveGeneration {
  readonly stream: string;
  readonly generation: number;
  readonly path: string;
  /** The packages `path` is rebuilt from when missing; absent for a path nothing rebuilds (a system configuration). */
  readonly packages?: readonly string[];
}

export interface ClosureProblem {
  readonly kind: 'closure-missing';
  readonly stream: string;
  readonly generation: number;
  readonly path: string;
  readonly message: string;
}

type PathState = { readonly present: true; readonly references: readonly string[] } | { readonly present: false; readonly why: string; readonly references: readonly string[] };

const HINT = 'import it with a substituter (genledger import DIR --substituter URL) or restore it from a backup, then run genledger replay';

/** What the live generations' closures lack, and how many store paths they hold in all. */
export async function closureProblems(store: Store, generations: readonly LiveGeneration[]): Promise<{ problems: ClosureProblem[]; checked: number }> {
  const states = new Map<string, PathState>();
  const stateOf = async (path: string): Promise<PathState> => {
    let state = states.get(path);
    if (state === undefined) {
      const info = await store.info(path);
      if (info === null) state = { present: false, why: 'is not registered in the store', references: [] };
      else if (!existsSync(store.location.physical(path))) state = { present: false, why: 'is registered but missing from disk', references: info.references };
      else state = { present: true, references: info.references };
      states.set(path, state);
    }
    return state;
  };
  const problems: ClosureProblem[] = [];
  for (const { stream, generation, path: root, packages } of generations) {
    const rebuilt = packages !== undefined && !(await stateOf(root)).present;
    // A set iterates in insertion order, including what is added while iterating: breadth first, each path once.
    const closure = new Set(rebuilt ? packages : [root]);
    for (const next of closure) {
      const state = await stateOf(next);
      if (!state.present) {
        const owner = stream === systemStream ? 'the system profile' : `profile '${stream}'`;
        problems.push({ kind: 'closure-missing', stream, generation, path: next, message: `generation ${generation} of ${owner} needs '${next}', which ${state.why}; ${HINT}` });
      }
      for (const reference of state.references) closure.add(reference);
    }
  }
  return { problems, checked: states.size };
}
