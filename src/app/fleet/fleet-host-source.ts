/**
 * A host's streams from the fleet database turned into what `import`
 * reconstructs from (import-bundle.ts, ImportSource), checked as strictly
 * as a bundle: every row by `fleet verify`'s chain check (envelope sealed
 * by its hash and agreeing with its columns, versions without gaps from 1,
 * each prev the hash before it, signatures; with trusted keys, every event
 * signed by one), each envelope in canonical form, and event ids unique.
 * Any break refuses the whole pull (exit 4) before the home is touched.
 *
 * The fleet holds no head signature, so deleting a stream's newest events
 * leaves a shorter, sound chain: that cannot be told from a host that
 * never pushed them.
 */
import { integrityError } from '../../errors.js';
import { canonicalJson } from '../../ledger/canonical-json.js';
import type { StoredEvent } from '../../ledger/event.js';
import type { PublicKey } from '../../ledger/nix-key.js';
import type { FleetChainRow } from '../../fleet/fleet-chain-reader.js';
import type { ImportSource } from '../bundle/import-bundle.js';
import { chainStart, checkChainRow } from './fleet-chain-check.js';
import type { ChainState, FleetProblem } from './fleet-chain-check.js';

export interface HostSourceInput {
  readonly host: string;
  /** When the host last pushed (ISO): the time the source stands at. */
  readonly lastPush: string;
  /** Rows ordered by stream and version. */
  readonly rows: readonly FleetChainRow[];
  readonly trustedKeys: readonly PublicKey[];
  /** The store directory the pulling home names paths for; the fleet does not record the origin's. */
  readonly storeDir: string;
}

export function hostSource({ host, lastPush, rows, trustedKeys, storeDir }: HostSourceInput): ImportSource {
  const problems: FleetProblem[] = [];
  const events = new Map<string, StoredEvent[]>();
  const ids = new Set<string>();
  let chain: { stream: string; state: ChainState } | null = null;
  for (const row of rows) {
    if (chain === null || chain.stream !== row.stream) chain = { stream: row.stream, state: chainStart };
    const before = problems.length;
    chain.state = checkChainRow(row, chain.state, trustedKeys, problems);
    if (problems.length > before) continue;
    const event = JSON.parse(row.envelope) as StoredEvent;
    if (canonicalJson(event) !== row.envelope) problems.push(problem(row, 'corrupt', 'is not in canonical form'));
    else if (ids.has(event.id)) problems.push(problem(row, 'corrupt', `reuses the id '${event.id}' of an earlier event`));
    ids.add(event.id);
    const stream = events.get(row.stream) ?? [];
    stream.push(event);
    events.set(row.stream, stream);
  }
  const [first] = problems;
  if (first !== undefined) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : '';
    throw integrityError(
      'GENLEDGER_FLEET_CHAIN_BROKEN',
      `nothing was pulled: in the fleet database, ${first.message}${more}`,
      'the fleet database was changed after the push; run genledger fleet verify, and push again from the host if it still has its ledger',
    );
  }
  // A host's streams have no one exporter: the origin names the host alone (pull-fleet.ts reports the host, not this).
  return { header: { origin: { host, user: '' }, exportedAt: lastPush, storeDir }, events, cacheDir: null };
}

function problem(row: FleetChainRow, kind: FleetProblem['kind'], fact: string): FleetProblem {
  return { host: row.host, stream: row.stream, version: row.version, kind, message: `host '${row.host}' stream '${row.stream}' event ${row.version} ${fact}` };
}
