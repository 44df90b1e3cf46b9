/**
 * Generation link names, `<base>-<N>-link`, as an inverse pair (Nix's
 * `makeName`/`parseName`): parsing a name this module makes gives back its
 * number. Parsing follows Nix 2.8 exactly, checked against `nix-env
 * --list-generations`, because a profile directory written by Nix must read
 * the same here:
 *
 * - the name starts with `<base>-` and the rest contains `-link` anywhere
 *   (a substring test: `p-3-link.tmp-1` and `p-3-linkage` are generation 3);
 * - the text before the first `-link` is an unsigned decimal: ASCII digits,
 *   leading zeros allowed, one optional leading `+` (boost's lexical_cast
 *   takes it); no `-`, spaces, empty text, hex or exponents.
 *
 * The one deliberate difference is the upper bound: 2.8 stops at 2^32-1 and
 * 2.35 at 2^64-1; genledger stops at 2^53-1 (Number.MAX_SAFE_INTEGER) so
 * every number it accepts is exact. Larger names are not generations here.
 */

const UNSIGNED_DECIMAL = /^\+?[0-9]+$/;
const LINK_MARKER = '-link';

export function makeGenerationLinkName(profileBase: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a generation number: ${n}`);
  return `${profileBase}-${n}${LINK_MARKER}`;
}

export function parseGenerationLinkName(profileBase: string, entryName: string): number | null {
  const prefix = `${profileBase}-`;
  if (!entryName.startsWith(prefix)) return null;
  const rest = entryName.slice(prefix.length);
  const end = rest.indexOf(LINK_MARKER);
  return end === -1 ? null : parseGenerationNumber(rest.slice(0, end));
}

/**
 * The current generation, from the text of the profile link (`readlink P`).
 * Nix applies the same rule as to directory entries, so a target that is an
 * absolute path, or a link into another directory, names no current
 * generation. A missing profile link is the caller's `null`.
 */
export function parseCurrentGeneration(profileBase: string, linkTargetText: string): number | null {
  return parseGenerationLinkName(profileBase, linkTargetText);
}

function parseGenerationNumber(text: string): number | null {
  if (!UNSIGNED_DECIMAL.test(text)) return null;
  // Rounding is monotonic, so anything above the limit still compares above it.
  const n = Number(text);
  return n <= Number.MAX_SAFE_INTEGER ? n : null;
}
