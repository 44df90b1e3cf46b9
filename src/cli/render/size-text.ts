/**
 * Byte counts for a reader: bytes below 1 KiB, else binary units with one
 * decimal (KiB, MiB, GiB, TiB). Exact counts are in the --json output.
 */
const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}
