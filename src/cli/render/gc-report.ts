/**
 * What `gc` prints, and `gc --dry-run` in the same words with "would": one
 * stdout line per store path and per directory entry that is not a valid
 * path (an interrupted collection's leftover, a temporary entry of a gone
 * process, an unknown entry `--delete-unknown` takes), then a summary for
 * stderr with the same counts and bytes.
 */
import type { GcRun } from '../../app/gc/gc-run.js';

export interface GcReport {
  readonly lines: readonly string[];
  readonly summary: readonly string[];
}

export function gcReport(run: GcRun): GcReport {
  const verb = run.dryRun ? 'would delete' : 'deleted';
  const would = run.dryRun ? 'would be ' : '';
  const entries = [
    ...run.removedInterrupted.map((name) => `${verb} entry '${name}' (left by an interrupted gc)`),
    ...run.removedTemporary.map((name) => `${verb} entry '${name}' (temporary, its process is gone)`),
    ...run.removedUnknown.map((name) => `${verb} entry '${name}' (unknown, named like a store path)`),
  ];
  const entriesText = entries.length > 0 ? `, ${entries.length} entries that are not valid paths ${would}deleted` : '';
  const summary = [`${run.deleted.length} store paths ${would}deleted, ${(run.bytes / 1048576).toFixed(2)} MiB ${would}freed${entriesText}`];
  if (run.unknown.length > 0) summary.push(`${run.unknown.length} store entries this home does not know were kept (listed by gc --dry-run --json)`);
  return { lines: [...run.deleted.map((path) => `${verb} '${path}'`), ...entries], summary };
}
