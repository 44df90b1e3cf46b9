/**
 * The text Nix prints for a profile's generations, byte for byte:
 * `nix-env --list-generations` lines and `nix profile history` headers.
 *
 * List lines use local time, which depends on the machine's time zone; that
 * comes in as the `localTime` function, so this module reads no environment.
 */
import type { GenerationSummary } from './generation-rules.js';
import { formatUtcDate } from './utc-date.js';

export interface LocalTime {
  readonly year: number;
  /** 1-12. */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export type LocalTimeOf = (epochSeconds: number) => LocalTime;

const ANSI_GREEN = '\u001b[32;1m';
const ANSI_BOLD = '\u001b[1m';
const ANSI_NORMAL = '\u001b[0m';

/**
 * One line per generation, lowest number first, each ending in LF:
 * `%|4|   %|4|-%|02|-%|02| %|02|:%|02|:%|02|   %||` in Nix's boost format,
 * so a line without the `(current)` marker ends in three spaces.
 */
export function formatListGenerations(
  generations: readonly Pick<GenerationSummary, 'number' | 'createdAt'>[],
  current: number | null,
  localTime: LocalTimeOf,
): string {
  return [...generations]
    .sort((a, b) => a.number - b.number)
    .map(({ number, createdAt }) => {
      const t = localTime(createdAt);
      const date = `${pad(t.year, 4, ' ')}-${pad(t.month, 2, '0')}-${pad(t.day, 2, '0')}`;
      const time = `${pad(t.hour, 2, '0')}:${pad(t.minute, 2, '0')}:${pad(t.second, 2, '0')}`;
      return `${pad(number, 4, ' ')}   ${date} ${time}   ${number === current ? '(current)' : ''}\n`;
    })
    .join('');
}

/**
 * `Version <N> (<UTC date>)[ <- <prev>]:`, without the line feed. Nix 2.8
 * always colours the number (green when current, bold otherwise), even on a
 * pipe; `color: false` gives the same line without the escape codes.
 */
export function formatHistoryHeader(
  n: number,
  prev: number | null,
  isCurrent: boolean,
  epochSeconds: number,
  color: boolean,
): string {
  const number = color ? `${isCurrent ? ANSI_GREEN : ANSI_BOLD}${n}${ANSI_NORMAL}` : String(n);
  return `Version ${number} (${formatUtcDate(epochSeconds)})${prev === null ? '' : ` <- ${prev}`}:`;
}

function pad(n: number, width: number, fill: '0' | ' '): string {
  return String(n).padStart(width, fill);
}
