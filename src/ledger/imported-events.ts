/**
 * What an import must be before it touches the database: well-formed
 * stored events of the named stream (the name is sealed into every hash,
 * so an import cannot rename a stream), each matching its hash, in one
 * contiguous run of versions, each chained to the one before.
 */
import { refused } from '../errors.js';
import { eventHash, storedEventProblem } from './event.js';
import type { StoredEvent } from './event.js';
import { corruptEvent } from './ledger-records.js';

export function checkImportedChain(stream: string, events: readonly StoredEvent[]): void {
  let previous: StoredEvent | undefined;
  for (const [index, event] of events.entries()) {
    const problem = storedEventProblem(event);
    if (problem !== null) throw refused('GENLEDGER_INVALID_EVENT', `imported event ${index + 1} of '${stream}' is malformed: ${problem}`);
    if (event.stream !== stream) {
      throw refused('GENLEDGER_STREAM_MISMATCH', `imported event ${index + 1} belongs to stream '${event.stream}', not '${stream}'`, 'import each stream under its own name: the name is part of every event hash');
    }
    if (eventHash(event) !== event.hash) throw corruptEvent(event, 'of the import does not match its hash');
    if (previous !== undefined && event.version !== previous.version + 1) {
      throw refused('GENLEDGER_STREAM_GAP', `the imported events of '${stream}' jump from version ${previous.version} to ${event.version}`, 'import a complete, ordered run of events');
    }
    if (previous !== undefined && event.prev !== previous.hash) throw corruptEvent(event, 'of the import does not chain to the event before it');
    previous = event;
  }
}
