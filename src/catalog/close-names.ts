/**
 * Suggestions for a mistyped name: first the known names that extend it (a
 * name typed only in part is the commonest miss), then those within a small
 * edit distance of it, then those it extends; case is ignored, and ties are
 * broken in byte order so the hint is the same on every run.
 *
 * A miss in a 10,000-package catalog must stay cheap, so the distance is only
 * computed up to the allowed maximum: names whose length alone rules them
 * out are skipped, and a comparison stops as soon as every cell of a row
 * exceeds the maximum.
 */

/** At most `limit` names from `known` that `wanted` was probably meant to be. */
export function closeNames(wanted: string, known: Iterable<string>, limit: number): string[] {
  const query = wanted.toLowerCase();
  const maxDistance = query.length <= 3 ? 1 : query.length <= 7 ? 2 : 3;
  const scored: { name: string; score: number }[] = [];
  for (const name of known) {
    const candidate = name.toLowerCase();
    const distance = query.length >= 2 && candidate.startsWith(query) ? 0 : boundedDistance(query, candidate, maxDistance);
    if (distance <= maxDistance) {
      scored.push({ name, score: distance });
    } else if (candidate.length >= 2 && query.startsWith(candidate)) {
      scored.push({ name, score: maxDistance + 1 });
    }
  }
  scored.sort((a, b) => a.score - b.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return scored.slice(0, limit).map(({ name }) => name);
}

/** Levenshtein distance of `a` and `b`, or `max + 1` when it is larger than `max`. */
function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      const cell = Math.min(substitution, (previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1);
      current.push(cell);
      rowMin = Math.min(rowMin, cell);
    }
    if (rowMin > max) return max + 1;
    previous = current;
  }
  return Math.min(previous[b.length] ?? max + 1, max + 1);
}
