/**
 * The `genledger report --html` page: one self-contained document (inline
 * CSS, SVG and script; nothing fetched) with the timeline chart and, per
 * profile, a table of its generations whose closure diffs open on click,
 * from the table or from the chart. The script only toggles what is
 * already in the page, so the page reads the same with scripts off.
 */
import { escapeMarkup } from './markup-escape.js';
import type { TimelineGeneration, TimelineLane, TimelineMark, TimelineReport } from './timeline-model.js';
import { renderTimelineSvg, timelineStyle } from './timeline-svg.js';
import type { TimelineText } from './timeline-svg.js';

const pageStyle = `
body { font: 14px sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
tr.selected { background: #fefcbf; }
tr.deleted td { color: #999; }
.tag { border-radius: 3px; padding: 0 4px; font-size: 11px; color: #fff; margin-right: 3px; }
.tag-current { background: #d69e2e; } .tag-booted { background: #38a169; } .tag-running { background: #e53e3e; } .tag-deleted { background: #718096; }
pre { margin: 0.3em 0; font-size: 12px; }
.reason { font-style: italic; white-space: pre-wrap; }
.legend span { margin-right: 1.2em; }
`;

/**
 * Clicking a generation in the chart opens its row's diff, as does a link
 * to `#gen-LANE-GENERATION` (the chart's ids); the script marks the body
 * when it ran.
 */
const pageScript = `
(function () {
  function select(lane, generation) {
    document.querySelectorAll('tr.selected').forEach(function (row) { row.classList.remove('selected'); });
    var row = document.getElementById('row-' + lane + '-' + generation);
    if (!row) return;
    row.classList.add('selected');
    var details = row.querySelector('details');
    if (details) details.open = true;
    row.scrollIntoView({ block: 'nearest' });
  }
  document.querySelectorAll('svg.timeline .generation').forEach(function (node) {
    var open = function () { select(node.getAttribute('data-lane'), node.getAttribute('data-generation')); };
    node.addEventListener('click', open);
    node.addEventListener('keydown', function (event) { if (event.key === 'Enter') open(); });
  });
  var linked = /^#gen-(\\d+)-(\\d+)$/.exec(location.hash);
  if (linked) select(linked[1], linked[2]);
  document.body.setAttribute('data-script', 'ready');
})();
`;

export function renderTimelineHtml(report: TimelineReport, text: TimelineText): string {
  const sections = report.lanes.map((lane, index) => laneSection(lane, index, text));
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>genledger report: ${escapeMarkup(report.home)}</title>`,
    `<style>${timelineStyle}${pageStyle}</style>`,
    '</head><body>',
    '<h1>genledger timeline</h1>',
    `<p>home <code>${escapeMarkup(report.home)}</code>; hover a generation for who made it, why and what changed, click it for its closure diff.</p>`,
    '<p class="legend"><span>&#9675; ring: current</span><span>&#9660; green: booted</span><span>&#9632; red: running</span><span>dashed: deleted</span><span>purple line: closure size</span></p>',
    renderTimelineSvg(report, text, { standalone: false }),
    ...sections,
    `<script>${pageScript}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

function laneSection(lane: TimelineLane, index: number, text: TimelineText): string {
  const rows = [...lane.generations].reverse().map((generation) => generationRow(index, generation, text));
  const marks = lane.marks.map((mark) => `<li class="mark-item mark-${mark.kind}">${escapeMarkup(markText(mark, text))}</li>`);
  return [
    `<section class="lane-section" data-lane="${index}">`,
    `<h2>${lane.kind === 'system' ? 'system profile' : 'profile'} <code>${escapeMarkup(lane.profile)}</code></h2>`,
    '<table><thead><tr><th>generation</th><th>created</th><th>made by</th><th>reason</th><th>closure size</th><th>changes</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
    ...(marks.length === 0 ? [] : ['<h3>rollbacks, switches and deletions</h3>', `<ul>${marks.join('')}</ul>`]),
    '</section>',
  ].join('\n');
}

function generationRow(index: number, generation: TimelineGeneration, text: TimelineText): string {
  const tags = (['current', 'booted', 'running', 'deleted'] as const).filter((flag) => generation[flag]).map((flag) => `<span class="tag tag-${flag}">${flag}</span>`);
  const made = generation.madeBy;
  const who = made === null ? '' : `${escapeMarkup(made.eventType)} by ${escapeMarkup(text.actor(made.actor))}`;
  const command = made?.command ? `<br><code>${escapeMarkup(made.command.join(' '))}</code>` : '';
  const reason = made === null || made.reason === null ? '' : `<span class="reason">${escapeMarkup(made.reason)}</span>`;
  const size = `${escapeMarkup(text.bytes(generation.closureSize.bytes))}${generation.closureSize.exact ? '' : ' (partly gone)'}`;
  const diff =
    generation.diff === null
      ? ''
      : `<details><summary>from generation ${generation.diff.against}</summary><pre>${escapeMarkup(text.diffLines(generation.diff).join('\n'))}</pre></details>`;
  const classes = generation.deleted ? ' class="deleted"' : '';
  return `<tr id="row-${index}-${generation.generation}"${classes}><td>${generation.generation} ${tags.join('')}</td><td>${escapeMarkup(generation.createdAt)}</td><td>${who}${command}</td><td>${reason}</td><td>${size}</td><td>${diff}</td></tr>`;
}

function markText(mark: TimelineMark, text: TimelineText): string {
  const what = mark.kind === 'deleted' || mark.kind === 'wiped' ? `${mark.kind} generations ${mark.generations.join(', ')}` : `${mark.kind} from generation ${mark.from ?? 'none'} to ${mark.to ?? 'none'}`;
  return `${mark.at}: ${what} by ${text.actor(mark.actor)}${mark.reason === null ? '' : ` (reason: ${mark.reason})`}`;
}
