/**
 * The timeline chart of `genledger report`, as SVG: one lane per profile,
 * generations placed by creation time, rings and tags for the current,
 * booted and running generations, ticks for rollbacks, switches and
 * deletions, and a line for the closure size over time. Every shape has a
 * `<title>`, so hovering it shows who made it, why, and its closure diff,
 * without any script. Text is taken from `TimelineText` (the CLI's own
 * wording) and escaped here.
 */
import type { ClosureDiff } from './closure-diff.js';
import { escapeMarkup } from './markup-escape.js';
import type { TimelineGeneration, TimelineLane, TimelineMark, TimelineReport } from './timeline-model.js';
import type { Actor } from '../world.js';

/** How sizes, actors and diffs read: supplied by the caller so the report says them as the CLI does. */
export interface TimelineText {
  bytes(bytes: number): string;
  actor(actor: Actor): string;
  diffLines(diff: ClosureDiff): string[];
}

const width = 1100;
const left = 170;
const right = 40;
const top = 40;
const laneHeight = 130;

/** Styles of the chart, shared by the standalone SVG and the HTML page. */
export const timelineStyle = `
svg.timeline { font: 12px sans-serif; background: #fff; }
.lane-label { font-weight: bold; }
.lane-axis, .axis-line { stroke: #999; }
.axis-tick { fill: #555; font-size: 10px; }
.generation circle.dot { fill: #2b6cb0; stroke: #fff; stroke-width: 1.5; cursor: pointer; }
.generation.deleted circle.dot { fill: #fff; stroke: #999; stroke-dasharray: 2 2; }
.generation .number { font-size: 10px; text-anchor: middle; fill: #333; }
.marker-current { fill: none; stroke: #d69e2e; stroke-width: 3; }
.marker-booted { fill: #38a169; }
.marker-running { fill: #e53e3e; }
.mark line { stroke-width: 2; }
.mark-rollback line, .mark-undo line { stroke: #c05621; }
.mark-switch line { stroke: #6b46c1; }
.mark-deleted line, .mark-wiped line { stroke: #718096; stroke-dasharray: 3 2; }
.mark text { font-size: 10px; fill: #444; }
.closure-size { fill: none; stroke: #805ad5; stroke-width: 1.5; }
.size-label { font-size: 10px; fill: #805ad5; }
`;

export function renderTimelineSvg(report: TimelineReport, text: TimelineText, options: { standalone: boolean }): string {
  const scale = timeScale(report);
  const height = top + Math.max(1, report.lanes.length) * laneHeight + 30;
  const parts: string[] = [];
  if (options.standalone) parts.push('<?xml version="1.0" encoding="UTF-8"?>');
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="generations over time">`);
  if (options.standalone) parts.push(`<style>${timelineStyle}</style>`, `<title>genledger timeline of ${escapeMarkup(report.home)}</title>`);
  parts.push(axis(scale, height));
  report.lanes.forEach((lane, index) => parts.push(renderLane(lane, index, scale, text)));
  if (report.lanes.length === 0) parts.push(`<text x="${left}" y="${top + 40}">no profiles yet</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

interface TimeScale {
  readonly from: number;
  readonly to: number;
  x(at: string): number;
}

function timeScale(report: TimelineReport): TimeScale {
  const times = report.lanes.flatMap((lane) => [...lane.generations.map((generation) => generation.createdAt), ...lane.marks.map((mark) => mark.at)]).map(Date.parse);
  const from = times.length === 0 ? 0 : Math.min(...times);
  const to = times.length === 0 ? 1 : Math.max(...times);
  const span = to > from ? to - from : 1;
  const usable = width - left - right;
  return { from, to, x: (at) => round(left + ((Date.parse(at) - from) / span) * usable) };
}

function axis(scale: TimeScale, height: number): string {
  const y = height - 20;
  const ticks = scale.to > scale.from ? [0, 0.25, 0.5, 0.75, 1] : [0];
  const labels = ticks.map((share) => {
    const at = new Date(scale.from + share * (scale.to - scale.from)).toISOString();
    return `<text class="axis-tick" x="${scale.x(at)}" y="${y + 14}" text-anchor="middle">${escapeMarkup(at.slice(0, 16).replace('T', ' '))}</text>`;
  });
  return [`<g class="time-axis"><line class="axis-line" x1="${left}" y1="${y}" x2="${width - right}" y2="${y}"/>`, ...labels, '</g>'].join('\n');
}

function renderLane(lane: TimelineLane, index: number, scale: TimeScale, text: TimelineText): string {
  const laneTop = top + index * laneHeight;
  const dotY = laneTop + 30;
  const parts = [
    `<g class="lane lane-${lane.kind}" data-lane="${index}" data-profile="${escapeMarkup(lane.profile)}">`,
    `<text class="lane-label" x="10" y="${dotY + 4}">${escapeMarkup(lane.profile)}</text>`,
    `<line class="lane-axis" x1="${left}" y1="${dotY}" x2="${width - right}" y2="${dotY}"/>`,
    sizeLine(lane, laneTop, scale, text),
    ...lane.marks.map((mark) => renderMark(mark, dotY, scale, text)),
    ...lane.generations.map((generation) => renderGeneration(lane, index, generation, dotY, scale, text)),
    '</g>',
  ];
  return parts.join('\n');
}

function sizeLine(lane: TimelineLane, laneTop: number, scale: TimeScale, text: TimelineText): string {
  if (lane.generations.length === 0) return '';
  const bottom = laneTop + laneHeight - 20;
  const bandHeight = 50;
  const largest = Math.max(1, ...lane.generations.map((generation) => generation.closureSize.bytes));
  const points = lane.generations.map((generation) => `${scale.x(generation.createdAt)},${round(bottom - (generation.closureSize.bytes / largest) * bandHeight)}`);
  const summary = lane.generations.map((generation) => `generation ${generation.generation}: ${text.bytes(generation.closureSize.bytes)}${generation.closureSize.exact ? '' : ' (partly gone)'}`);
  return [
    `<polyline class="closure-size" points="${points.join(' ')}"><title>${escapeMarkup(['closure size over time', ...summary].join('\n'))}</title></polyline>`,
    `<text class="size-label" x="${left - 6}" y="${bottom - bandHeight + 4}" text-anchor="end">${escapeMarkup(text.bytes(largest))}</text>`,
  ].join('\n');
}

function renderMark(mark: TimelineMark, dotY: number, scale: TimeScale, text: TimelineText): string {
  const x = scale.x(mark.at);
  const label = mark.kind === 'deleted' || mark.kind === 'wiped' ? `${mark.kind} ${mark.generations.join(',')}` : `${mark.kind} ${mark.from ?? '-'}\u2192${mark.to ?? '-'}`;
  const title = [`${label} by ${text.actor(mark.actor)} at ${mark.at}`, ...(mark.reason === null ? [] : [`reason: ${mark.reason}`])].join('\n');
  return [
    `<g class="mark mark-${mark.kind}">`,
    `<line x1="${x}" y1="${dotY - 22}" x2="${x}" y2="${dotY + 22}"/>`,
    `<text x="${x + 3}" y="${dotY - 14}">${escapeMarkup(label)}</text>`,
    `<title>${escapeMarkup(title)}</title>`,
    '</g>',
  ].join('');
}

function renderGeneration(lane: TimelineLane, index: number, generation: TimelineGeneration, dotY: number, scale: TimeScale, text: TimelineText): string {
  const x = scale.x(generation.createdAt);
  const flags = (['deleted', 'current', 'booted', 'running'] as const).filter((flag) => generation[flag]);
  const shapes = [`<circle class="dot" cx="${x}" cy="${dotY}" r="7"/>`, `<text class="number" x="${x}" y="${dotY + 22}">${generation.generation}</text>`];
  if (generation.current) shapes.push(`<circle class="marker-current" cx="${x}" cy="${dotY}" r="11"/>`);
  if (generation.booted) shapes.push(`<path class="marker-booted" d="M${x - 5},${dotY - 14} L${x + 5},${dotY - 14} L${x},${dotY - 8} Z"/>`);
  if (generation.running) shapes.push(`<rect class="marker-running" x="${x + 8}" y="${dotY - 16}" width="7" height="7"/>`);
  return [
    `<g class="${['generation', ...flags].join(' ')}" id="gen-${index}-${generation.generation}" data-lane="${index}" data-generation="${generation.generation}" tabindex="0">`,
    ...shapes,
    `<title>${escapeMarkup(generationTitle(lane, generation, text).join('\n'))}</title>`,
    '</g>',
  ].join('');
}

/** The hover text of a generation: who, when, why, markers, size and diff. */
export function generationTitle(lane: TimelineLane, generation: TimelineGeneration, text: TimelineText): string[] {
  const flags = (['current', 'booted', 'running', 'deleted'] as const).filter((flag) => generation[flag]);
  const lines = [`${lane.profile} generation ${generation.generation}${flags.length === 0 ? '' : ` (${flags.join(', ')})`}`, `created ${generation.createdAt}`];
  const made = generation.madeBy;
  if (made !== null) {
    lines.push(`${made.eventType} by ${text.actor(made.actor)}`);
    if (made.reason !== null) lines.push(`reason: ${made.reason}`);
  }
  lines.push(`closure size: ${text.bytes(generation.closureSize.bytes)}${generation.closureSize.exact ? '' : ' (part of the closure is gone)'}`);
  if (generation.diff !== null) lines.push(`changes from generation ${generation.diff.against}:`, ...text.diffLines(generation.diff).map((line) => `  ${line}`));
  return lines;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
