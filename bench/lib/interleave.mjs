// Runs the sides of one case in interleaved order (A B A B ...): a warm-up
// round that is not counted, then `runs` counted rounds. Each side resets
// its state before its timed process (`prepare`, untimed) and checks and
// undoes what the process did after it (`finish`, untimed), so no run finds
// the results of an earlier one. Dirty pages are flushed (`sync`) before
// each timed process, so none pays for the writeback of the one before.
import { run, timedSpawn } from './measure.mjs';

/** @typedef {import('./measure.mjs').Spec} Spec */
/** @typedef {{ prepare: (round: number) => Spec | Promise<Spec>, finish?: (result: import('./measure.mjs').Timed, round: number) => void | Promise<void> }} Side */

/**
 * @param {{ sides: Side[], runs: number, warmups?: number, onRound?: (round: number, total: number) => void, checkInterrupted: () => Promise<void> }} options
 * @returns {Promise<{ wallMs: number, cpuMs: number }[][]>} per side, the counted samples
 */
export async function runInterleaved({ sides, runs, warmups = 1, onRound, checkInterrupted }) {
  const samples = sides.map(() => []);
  const total = warmups + runs;
  for (let round = 0; round < total; round++) {
    onRound?.(round - warmups, runs);
    for (const [index, side] of sides.entries()) {
      await checkInterrupted();
      const spec = await side.prepare(round);
      run('sync', []);
      const result = timedSpawn(spec);
      await side.finish?.(result, round);
      if (round >= warmups) samples[index].push({ wallMs: result.wallMs, cpuMs: result.cpuMs });
    }
  }
  return samples;
}
