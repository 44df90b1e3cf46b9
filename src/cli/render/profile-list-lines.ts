/**
 * `profile list` on a terminal: one line per element with its index, name,
 * version (parsed from the store path name as Nix does) and where it came
 * from, cut to the terminal's width. Full store paths are for `--long`,
 * `--json` and output that is not a terminal (which keeps the line format
 * scripts already read).
 */
import type { ProfileElement } from '../../domain/profile-manifest.js';
import { defaultPriority } from '../../domain/profile-manifest.js';
import { parseDrvName, storePathName } from '../../projection/drv-name.js';

// Beyond these a name or version is cut, so one long entry cannot push the sources off every line.
const maxName = 24;
const maxVersion = 16;

/** The format scripts read: index, name, original and locked reference (or `- -`), store paths, a non-default priority. */
export function longListLine(element: ProfileElement, index: number): string {
  const source = element.source === undefined ? '- -' : `${element.source.originalUrl}#${element.source.attrPath} ${element.source.url}#${element.source.attrPath}`;
  return `${index} ${element.name} ${source} ${element.storePaths.join(' ')}${element.priority === defaultPriority ? '' : ` (priority ${element.priority})`}`;
}

export function shortListLines(elements: readonly ProfileElement[], width: number): string[] {
  const rows = elements.map((element, index) => ({
    index: String(index),
    name: cut(element.name, maxName),
    version: cut(versionOf(element), maxVersion),
    origin: `${element.priority === defaultPriority ? '' : `(priority ${element.priority}) `}${originOf(element)}`,
  }));
  const widthOf = (pick: (row: (typeof rows)[number]) => string) => Math.max(0, ...rows.map((row) => pick(row).length));
  const indexWidth = widthOf((row) => row.index);
  const nameWidth = widthOf((row) => row.name);
  const versionWidth = widthOf((row) => row.version);
  return rows.map((row) => {
    const start = `${row.index.padStart(indexWidth)}  ${row.name.padEnd(nameWidth)}  ${row.version.padEnd(versionWidth)}  `;
    return `${start}${cut(row.origin, width - start.length)}`.trimEnd();
  });
}

function versionOf(element: ProfileElement): string {
  const versions = [...new Set(element.storePaths.map((path) => parseDrvName(storePathName(path)).version))].filter((version) => version !== '');
  return versions.length === 0 ? '-' : versions.join(',');
}

/** Where the element came from: the reference the user gave, or the store path's name when it was installed as a path. */
function originOf(element: ProfileElement): string {
  if (element.source !== undefined) return `${element.source.originalUrl}#${element.source.attrPath}`;
  const first = element.storePaths[0];
  return first === undefined ? '-' : `${storePathName(first)}${element.storePaths.length > 1 ? ` (+${element.storePaths.length - 1} paths)` : ''}`;
}

function cut(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? text.slice(0, Math.max(0, width)) : `${text.slice(0, width - 1)}…`;
}
