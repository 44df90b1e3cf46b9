/**
 * Progress of long work (replay, gc, import, export, store verify
 * --contents) on a terminal: one line on stderr, rewritten at most ten
 * times a second and cleared when the work is done, so only results stay
 * on screen. Silent when stderr is not a terminal or with --quiet: scripts
 * and logs see exactly what they saw before.
 */
import type { World } from '../../world.js';

export interface Progress {
  /** `done` of `total` steps of `what` (e.g. "deleting store paths"). */
  step(what: string, done: number, total: number): void;
  clear(): void;
}

const silentProgress: Progress = { step: () => undefined, clear: () => undefined };

const intervalMs = 100;

export function terminalProgress(world: Pick<World, 'stderr' | 'now'>, quiet: boolean): Progress {
  if (quiet || !world.stderr.isTTY) return silentProgress;
  let shownAt = Number.NEGATIVE_INFINITY;
  let showing = false;
  return {
    step(what, done, total) {
      const now = world.now().getTime();
      if (now - shownAt < intervalMs && done < total) return;
      shownAt = now;
      showing = true;
      world.stderr.write(`\r\x1b[Kgenledger: ${what} ${done}/${total}`);
    },
    clear() {
      if (showing) world.stderr.write('\r\x1b[K');
      showing = false;
    },
  };
}
