/**
 * A seeded generator (mulberry32) and the few draws the fuzzers need, so
 * every run tries the same cases and a failure names a case that replays.
 */

export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, below). */
export function int(random: Random, below: number): number {
  return Math.floor(random() * below);
}

export function pick<T>(random: Random, choices: readonly T[]): T {
  const choice = choices[int(random, choices.length)];
  if (choice === undefined) throw new Error('pick from an empty list');
  return choice;
}
