/**
 * Names of the temporary links the atomic switches leave behind when a
 * process dies between creating a temporary link and renaming it:
 * `<base>-N-link.tmp-<pid>-<hex>` (generation links, GC roots) and
 * `.<n>_<base>` (the profile link), and `<link>.tmp-<pid>-<hex>` beside
 * any other link (`run/current-system`). Projection removes them.
 */

export function isTempLinkName(name: string, base: string): boolean {
  const switchTemp = /^\.(\d+)_(.*)$/.exec(name);
  if (switchTemp !== null) return switchTemp[2] === base;
  return name.startsWith(`${base}-`) && /-link\.tmp-\d+-[0-9a-f]+$/.test(name);
}

export function isTempRootName(name: string): boolean {
  return /^[0-9a-df-np-sv-z]{32}\.tmp-\d+-[0-9a-f]+$/.test(name);
}

/** A temporary link of the atomic replacement of the link named `link` (replaceLink's `<link>.tmp-<pid>-<hex>`). */
export function isTempLinkOf(name: string, link: string): boolean {
  return name.startsWith(`${link}.tmp-`) && /\.tmp-\d+-[0-9a-f]+$/.test(name);
}

/** Any name the atomic switches give a temporary link, whatever link it was for. */
export function isAnyTempLinkName(name: string): boolean {
  return /^\.\d+_./.test(name) || /\.tmp-\d+-[0-9a-f]+$/.test(name);
}
