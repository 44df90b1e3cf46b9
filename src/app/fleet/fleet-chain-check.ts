/**
 * `fleet verify`'s judgement of one chain (one host's stream), row by row
 * in version order: each row's envelope well-formed, sealed by its hash,
 * agreeing with the row's indexed columns, signed as required, one version
 * after the last and linked to its hash, and committed after it in the
 * fleet's order (txid, seq) — an origin's events arrive in stream order.
 */
import { eventHash, storedEventProblem } from '../../ledger/event.js';
import type { StoredEvent } from '../../ledger/event.js';
import { checkEventSignature } from '../../ledger/event-signer.js';
import type { PublicKey } from '../../ledger/nix-key.js';
import { sealHolds } from '../../ledger/stored-seal.js';
import type { FleetChainRow } from '../../fleet/fleet-chain-reader.js';

export interface FleetProblem {
  readonly host: string;
  readonly stream: string;
  readonly version: number;
  readonly kind: 'corrupt' | 'hash' | 'missing' | 'chain' | 'order' | 'signature' | 'unsigned' | 'untrusted' | 'projection';
  readonly message: string;
}

/** Where a chain stands after its last row. */
export interface ChainState {
  readonly version: number;
  readonly hash: string | null;
  readonly txid: bigint;
  readonly seq: bigint;
}

export const chainStart: ChainState = { version: 0, hash: null, txid: -1n, seq: -1n };

export function checkChainRow(row: FleetChainRow, state: ChainState, trustedKeys: readonly PublicKey[], problems: FleetProblem[]): ChainState {
  const problem = (version: number, kind: FleetProblem['kind'], fact: string) =>
    problems.push({ host: row.host, stream: row.stream, version, kind, message: `host '${row.host}' stream '${row.stream}' event ${version} ${fact}` });
  for (let version = state.version + 1; version < row.version; version++) problem(version, 'missing', 'is missing');
  const txid = BigInt(row.txid);
  const seq = BigInt(row.seq);
  if (txid < state.txid || (txid === state.txid && seq < state.seq)) problem(row.version, 'order', 'was stored before the event it follows');
  const next: ChainState = { version: row.version, hash: row.hash, txid, seq };
  const event = parse(row.envelope);
  const shape = event === null ? 'is not JSON' : storedEventProblem(event);
  if (shape !== null || event === null) {
    problem(row.version, 'corrupt', `is malformed: ${shape}`);
    return next;
  }
  if (event.stream !== row.stream || event.version !== row.version || event.id !== row.id || event.hash !== row.hash || event.prev !== row.prev || (event.sig ?? null) !== row.sig) {
    problem(row.version, 'corrupt', 'differs from the columns stored beside it');
  }
  if (!sealHolds(row.envelope, event.hash, event.sig, () => eventHash(event))) problem(row.version, 'hash', 'does not match its hash: it was changed after it was pushed');
  if (row.version === state.version + 1 && event.prev !== state.hash) problem(row.version, 'chain', 'does not chain to the event before it');
  const signature = checkEventSignature(event, trustedKeys);
  if (signature === 'malformed' || signature === 'bad') problem(row.version, 'signature', signature === 'bad' ? 'has a signature that does not verify' : 'has a malformed signature');
  if (trustedKeys.length > 0 && signature === 'unsigned') problem(row.version, 'unsigned', 'is not signed');
  if (trustedKeys.length > 0 && signature === 'untrusted') problem(row.version, 'untrusted', 'is signed by a key that is not trusted');
  return next;
}

function parse(text: string): StoredEvent | null {
  try {
    return JSON.parse(text) as StoredEvent;
  } catch {
    return null;
  }
}
