/** Byte counts for people: binary units with one decimal, a sign on differences. */

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function byteSize(bytes: number): string {
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
  return bytes < 0 ? `-${text}` : text;
}

export function byteDelta(bytes: number): string {
  return bytes < 0 ? byteSize(bytes) : `+${byteSize(bytes)}`;
}
