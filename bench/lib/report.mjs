// The suite's results: a Markdown report for people (stdout) and a JSON
// record with every sample for comparing runs over time.
import { pairedRatios, summarize } from './stats.mjs';

const ms = (value) => `${value.toLocaleString('en', { maximumFractionDigits: value < 10 ? 1 : 0 })} ms`;
const range = ({ median, min, max }, format) => `${format(median)} (${format(min)}–${format(max)})`;
const ratio = (value) => value.toFixed(2);

/** Summaries and the verdict of one comparison case from its samples (genledger, Nix, `node -e 0`). */
export function compare(caseDef, [ours, theirs, floor]) {
  const ratios = pairedRatios(ours.map((s) => s.wallMs), theirs.map((s) => s.wallMs));
  const result = {
    id: caseDef.id,
    title: caseDef.title,
    target: caseDef.target,
    genledger: side(ours),
    nix: side(theirs),
    nodeFloor: side(floor),
    ratios,
    ratio: summarize(ratios),
  };
  return { ...result, verdict: verdict(result) };
}

function side(samples) {
  return { samples, wall: summarize(samples.map((s) => s.wallMs)), cpu: summarize(samples.map((s) => s.cpuMs)) };
}

/**
 * Ratio targets are met when the median paired ratio is at most the target.
 * A start-up-plus target (`overStartupMs`) is met when genledger's median
 * is at most `node -e 0`'s median, timed in the same rounds, plus that many
 * milliseconds.
 * A start-up-bound operation is met when it is no slower than Nix, or when
 * it costs at most two Node start-ups (`node -e 0`, timed in the same
 * rounds): its own work is then no more than the start-up it cannot avoid.
 */
function verdict({ target, genledger, nodeFloor, ratio: r }) {
  if (target === null) return '—';
  if (target.ratio !== undefined) return r.median <= target.ratio ? 'met' : 'missed';
  if (target.overStartupMs !== undefined) return genledger.wall.median <= nodeFloor.wall.median + target.overStartupMs ? 'met' : 'missed';
  return r.median <= 1 || genledger.wall.median <= 2 * nodeFloor.wall.median ? 'met' : 'missed';
}

function targetText(target, nodeFloor) {
  if (target === null) return '—';
  if (target.ratio !== undefined) return `≤ ${target.ratio.toFixed(1)}`;
  if (target.overStartupMs !== undefined) return `\`node -e 0\` + ${target.overStartupMs} ms: ≤ ${ms(nodeFloor.wall.median + target.overStartupMs)}`;
  return `start-up bound: ≤ 1.0, or ≤ ${ms(2 * nodeFloor.wall.median)}`;
}

/** A genledger-only figure. */
export function solo(caseDef, samples) {
  const events = samples[0]?.events ?? caseDef.perEvent ?? null;
  // A figure measured in pairs against an alternative carries each pair's ratio.
  const ratios = samples.every((s) => s.ratio !== undefined) && samples.length > 0 ? summarize(samples.map((s) => s.ratio)) : null;
  return { id: caseDef.id, title: caseDef.title, samples, wall: summarize(samples.map((s) => s.wallMs)), events, ratios };
}

export function renderMarkdown({ machine, runs, comparisons, figures, notes }) {
  const lines = [];
  lines.push(`genledger ${machine.genledger} vs ${machine.nix}, ${machine.date.slice(0, 10)}: ${machine.nproc} CPUs (${machine.cpu}), ${(machine.memoryBytes / 2 ** 30).toFixed(0)} GiB, Linux ${machine.kernel}, Node ${machine.node}.`);
  lines.push(
    `${runs} counted runs per case after a warm-up, genledger, Nix and \`node -e 0\` interleaved, wall clock of the whole process (CPU = user + sys); ratio = genledger/Nix per round. ` +
      `Fixtures, genledger's stores and Nix's chroot stores on ${machine.scratch.fsType} (${machine.scratch.dir}), TMPDIR there for both: Nix reads packages and current manifests from the real /nix/store (${machine.nixStoreFsType}, page-cached) and writes what the timed runs build into the chroot stores, so both write to the same file system. ` +
      `Load average at start: ${machine.loadAverageAtStart.map((x) => x.toFixed(2)).join(', ')}.`,
  );
  if (comparisons.length > 0) {
    lines.push('', '| case | genledger | Nix | genledger/Nix | CPU genledger / Nix | `node -e 0` | target | verdict |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const c of comparisons) {
      const cells = [c.title, range(c.genledger.wall, ms), range(c.nix.wall, ms), range(c.ratio, ratio), `${ms(c.genledger.cpu.median)} / ${ms(c.nix.cpu.median)}`, ms(c.nodeFloor.wall.median), targetText(c.target, c.nodeFloor), c.verdict];
      lines.push(`| ${cells.join(' | ')} |`);
    }
  }
  if (figures.length > 0) {
    lines.push('', '| genledger only | median (min–max) | runs | per event |', '| --- | --- | --- | --- |');
    for (const f of figures) {
      const perEvent = f.events === null ? '' : `${((f.wall.median * 1000) / f.events).toFixed(1)} µs`;
      const title = f.ratios === null || f.ratios === undefined ? f.title : `${f.title}: ratio ${range(f.ratios, ratio)}`;
      lines.push(`| ${title} | ${range(f.wall, ms)} | ${f.wall.n} | ${perEvent} |`);
    }
  }
  for (const note of notes) lines.push('', note);
  return `${lines.join('\n')}\n`;
}
