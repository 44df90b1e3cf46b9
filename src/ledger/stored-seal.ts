/**
 * Checking a stored record's seal from the bytes the ledger stored. An
 * event (or log entry) is stored as the canonical JSON of its sealed
 * fields plus `hash` (and `sig`), and its hash is the sha256 of the
 * canonical JSON of the sealed fields alone. So cutting the `hash` and
 * `sig` members out of the stored text gives exactly the hashed bytes,
 * without encoding the parsed record again (which costs several times the
 * hash itself).
 *
 * Invariant: this accepts exactly the records a re-encoding check accepts.
 * If the cut text hashes to the stored hash, it *is* the canonical text
 * that was sealed (sha256 is collision-resistant), and the stored text is
 * that text with the two members added, so the parsed record holds exactly
 * the sealed values. Any other text (written by another encoder, with
 * whitespace, or tampered with) falls back to re-encoding the parsed record.
 */
import { sha256Hex } from './event.js';

/**
 * Whether `hash` seals the record stored as `text`; `recompute` hashes the
 * parsed record by encoding it again, and runs only when the stored text
 * is not the canonical text of a sealed record.
 */
export function sealHolds(text: string, hash: string, sig: string | undefined, recompute: () => string): boolean {
  return sealedAsStored(text, hash, sig) || recompute() === hash;
}

/** Whether `text` is the canonical text of a record sealed by `hash`: the check without re-encoding. */
export function sealedAsStored(text: string, hash: string, sig: string | undefined): boolean {
  const unsealed = withoutSeal(text, hash, sig);
  return unsealed !== null && sha256Hex(unsealed) === hash;
}

/**
 * `text` without its `hash` member (and then its `sig` member), or null
 * when they are not there. In canonical text `hash` is never the first
 * key (`actor` or `eventHash` sorts before it), and only strings, numbers
 * and null follow it, which cannot hold an unescaped quote: so the last
 * occurrence of each member is the top-level one.
 */
function withoutSeal(text: string, hash: string, sig: string | undefined): string | null {
  const hashMember = `,"hash":${JSON.stringify(hash)}`;
  const hashAt = text.lastIndexOf(hashMember);
  if (hashAt < 0) return null;
  const before = text.slice(0, hashAt);
  const after = text.slice(hashAt + hashMember.length);
  if (sig === undefined) return before + after;
  const sigMember = `,"sig":${JSON.stringify(sig)}`;
  const sigAt = after.lastIndexOf(sigMember);
  if (sigAt < 0) return null;
  return before + after.slice(0, sigAt) + after.slice(sigAt + sigMember.length);
}
