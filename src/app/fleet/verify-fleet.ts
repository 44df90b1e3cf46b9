/**
 * `fleet verify`: every chain of every host in the fleet database checked
 * (fleet-chain-check.ts), then, when they are sound, the query tables
 * against a fresh fold of them. A report, not an error: the CLI prints one line
 * per problem and exits 4 when there is any.
 */
import type { PublicKey } from '../../ledger/nix-key.js';
import { readFleetChains } from '../../fleet/fleet-chain-reader.js';
import { openFleet } from '../../fleet/open-fleet.js';
import type { FleetUrl } from '../../fleet/fleet-url.js';
import { chainStart, checkChainRow } from './fleet-chain-check.js';
import { projectionProblems } from './refresh-fleet-projection.js';
import type { ChainState, FleetProblem } from './fleet-chain-check.js';

export interface FleetVerifyReport {
  readonly hosts: number;
  readonly streams: number;
  readonly events: number;
  readonly problems: readonly FleetProblem[];
}

export async function verifyFleet(url: FleetUrl, trustedKeys: readonly PublicKey[]): Promise<FleetVerifyReport> {
  const fleet = await openFleet(url);
  try {
    const problems: FleetProblem[] = [];
    const hosts = new Set<string>();
    let streams = 0;
    let events = 0;
    let chain: { host: string; stream: string; state: ChainState } | null = null;
    for await (const row of readFleetChains(fleet)) {
      if (chain === null || chain.host !== row.host || chain.stream !== row.stream) {
        chain = { host: row.host, stream: row.stream, state: chainStart };
        streams += 1;
      }
      hosts.add(row.host);
      events += 1;
      chain.state = checkChainRow(row, chain.state, trustedKeys, problems);
    }
    // A damaged chain is reported already, and its fold would mean nothing.
    if (problems.length === 0) problems.push(...(await projectionProblems(fleet)));
    return { hosts: hosts.size, streams, events, problems };
  } finally {
    await fleet.close();
  }
}
