/**
 * Which ledger streams are profiles: all but the bookkeeping streams of
 * GC roots and collections.
 */
import type { Ledger } from '../ledger/ledger.js';

const bookkeepingStreams = new Set(['roots', 'gc']);

export async function listProfileStreams(ledger: Ledger): Promise<string[]> {
  return (await ledger.streams()).filter((stream) => !bookkeepingStreams.has(stream));
}
