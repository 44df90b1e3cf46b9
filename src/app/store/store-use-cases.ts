/**
 * Use cases of the `store` command group. Each runs inside a session and
 * returns data; rendering is the CLI's job.
 */
import { throttledStopPoint } from '../../interruption.js';
import type { PathInfo } from '../../store/path-info.js';
import type { StoreVerifyReport } from '../../store/store-verify.js';
import type { Session } from '../session/session-context.js';

export async function addPaths(session: Session, sources: readonly string[], options: { name?: string; scanReferences?: boolean }): Promise<PathInfo[]> {
  const added: PathInfo[] = [];
  for (const source of sources) {
    added.push(
      await session.store.addPath(source, {
        ...options,
        pid: session.world.pid,
        now: session.world.now(),
        faults: session.faults,
      }),
    );
  }
  return added;
}

/** The paths' info in `nix path-info`'s order: each path once, sorted. */
export async function pathInfos(session: Session, args: readonly string[]): Promise<PathInfo[]> {
  const paths = [...new Set(args.map((arg) => session.store.resolveArgument(arg, session.world.cwd)))].sort();
  const infos: PathInfo[] = [];
  for (const path of paths) infos.push(await session.store.requireInfo(path));
  return infos;
}

export async function closure(session: Session, args: readonly string[]): Promise<string[]> {
  return session.store.closure(args.map((arg) => session.store.resolveArgument(arg, session.world.cwd)));
}

/** With `contents`, the long scan hashing every path; a stop signal ends it between two paths (it writes nothing). */
export async function verify(session: Session, contents: boolean): Promise<StoreVerifyReport> {
  if (!contents) return session.store.verify({ contents });
  const interruption = session.world.interruption;
  if (interruption !== undefined) interruption.doing = 'hashing store paths';
  const safePoint = throttledStopPoint(interruption);
  return session.store.verify({
    contents,
    onPath: async (done: number, total: number) => {
      session.progress.step('hashing store paths', done, total);
      session.faults.reach('during-store-verify');
      await safePoint();
    },
  });
}
