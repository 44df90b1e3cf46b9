/**
 * How deeply a JSON text nests, found by one iterative scan of its
 * characters (strings skipped, escapes honoured) before anything parses or
 * walks it: recursive code (canonical JSON, hashing, patching) would
 * overflow the stack on input nested thousands deep, so such input is
 * refused by its text alone.
 */

/** Deeper than any event or manifest genledger writes, shallow enough for every recursive walk. */
export const MAX_JSON_DEPTH = 64;

/** True when `text` opens more than `max` arrays or objects inside each other. */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) index++;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      if (++depth > max) return true;
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return false;
}
