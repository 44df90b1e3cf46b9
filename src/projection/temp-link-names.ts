/**
 * Names of the temporary links the atomic switches leave behind when a
 * process dies between creating a temporary link and renaming it:
 * `<base>-N-link.tmp-<pid>-<hex>` (generation links, GC roots) and
 * `.<n>_<base>` (the profile link). Projection removes them.
 */

export function isTempLinkName(name: string, base: string): boolean {
  const switchTemp = /^\.(\d+)_(.*)$/.exec(name);
  if (switchTemp !== null) return switchTemp[2] === base;
  return name.startsWith(`${base}-`) && /-link\.tmp-\d+-[0-9a-f]+$/.test(name);
}

export function isTempRootName(name: string): boolean {
  return /^[0-9a-df-np-sv-z]{32}\.tmp-\d+-[0-9a-f]+$/.test(name);
}
