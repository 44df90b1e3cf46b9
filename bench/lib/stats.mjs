// Summary statistics of timing samples: median and range, and the paired
// ratio of two interleaved series (run i of A over run i of B), which
// cancels the drift that unpaired medians would keep.

/** @param {number[]} values */
export function summarize(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

/** @param {number[]} a @param {number[]} b */
export function pairedRatios(a, b) {
  return a.map((value, index) => value / b[index]);
}
