/**
 * `fleet pull --host H`: reconstructs host H's profiles here from the
 * fleet database, as `import` does from a bundle, by the same importer
 * (import-bundle.ts importSource): H's events are read and checked
 * (fleet-host-source.ts), then checked against this home, missing store
 * paths fetched from the --substituter caches, the events appended
 * verbatim and the profiles projected with their recorded times. Pulling
 * again appends nothing that is already here.
 *
 * Without `-p` it takes every profile stream of H and its system stream,
 * as `export` writes them; `-p NAME` takes one (`-p system`: the system
 * stream). The database connection is closed before anything is written.
 */
import { refused } from '../../errors.js';
import type { PublicKey } from '../../ledger/nix-key.js';
import { fleetHostLastPush, readHostRows } from '../../fleet/fleet-host-reader.js';
import type { FleetUrl } from '../../fleet/fleet-url.js';
import { openFleet } from '../../fleet/open-fleet.js';
import { importSource } from '../bundle/import-bundle.js';
import type { ImportResult, ImportSource } from '../bundle/import-bundle.js';
import { systemProfileName } from '../profile/profile-location.js';
import { isProfileStream } from '../profile/profile-streams.js';
import { sessionProfile } from '../profile/session-profile.js';
import type { Session } from '../session/session-context.js';
import { systemStream } from '../system/system-stream.js';
import { hostSource } from './fleet-host-source.js';

export interface PullOptions {
  readonly url: FleetUrl;
  readonly host: string;
  /** The one profile to pull (`-p`), or every one. */
  readonly profile?: string;
  readonly substituters: readonly string[];
  readonly trustedKeys: readonly PublicKey[];
  readonly allowExternal: boolean;
}

export interface PullResult extends Omit<ImportResult, 'origin' | 'exportedAt' | 'dryRun'> {
  readonly host: string;
  /** When the host last pushed: the state the pulled profiles stand at. */
  readonly lastPush: string;
}

export async function pullFleet(session: Session, options: PullOptions): Promise<PullResult> {
  const source = await readHost(session, options);
  const { origin: _origin, exportedAt, dryRun: _dryRun, ...result } = await importSource(session, source, {
    substituters: options.substituters,
    trustedKeys: options.trustedKeys,
    allowExternal: options.allowExternal,
    dryRun: false,
  });
  return { host: options.host, lastPush: exportedAt, ...result };
}

async function readHost(session: Session, options: PullOptions): Promise<ImportSource> {
  const { host, profile } = options;
  const wanted = profile === undefined ? null : profile === systemProfileName ? systemStream : sessionProfile(session, profile).stream;
  const fleet = await openFleet(options.url);
  try {
    const lastPush = await fleetHostLastPush(fleet, host);
    if (lastPush === null) {
      throw refused('GENLEDGER_FLEET_UNKNOWN_HOST', `the fleet database ${options.url.redacted} holds nothing from host '${host}'`, 'name a host as genledger fleet push --host named it');
    }
    const rows = (await readHostRows(fleet, host, wanted === null ? null : [wanted])).filter((row) => wanted !== null || isProfileStream(row.stream) || row.stream === systemStream);
    if (wanted !== null && rows.length === 0) {
      throw refused('GENLEDGER_UNKNOWN_PROFILE', `the fleet database holds no profile '${wanted}' from host '${host}'`, 'drop -p to pull every profile of the host');
    }
    return hostSource({ host, lastPush, rows, trustedKeys: options.trustedKeys, storeDir: session.store.storeDir.path });
  } finally {
    await fleet.close();
  }
}
