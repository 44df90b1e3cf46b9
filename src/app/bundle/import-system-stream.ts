/**
 * The `system` stream of a bundle met with the local one, decided before
 * anything is written, under the system profile's own rules: only system
 * events of a schema this genledger knows, the same divergence rule as a
 * profile (a different event at a version both have refuses the import),
 * and the whole stream through the import gate (imported-event-check.ts,
 * system-stream-rules.ts). The state after the import is folded here so
 * its store paths and projection can be planned first.
 *
 * What an imported system stream means here: the origin's history, whole.
 * Its generations, the `system` link, the boot entries and the GC roots
 * are projected as on the origin; `run/current-system` and
 * `run/booted-system` say what the log says ran and was booted there, as
 * `replay` projects them. No activation runs: switch-to-configuration
 * never runs on import, so nothing of the configuration is started on
 * this machine until a system command (switch, test, reboot) here does.
 */
import { systemEventVersions } from '../../domain/system-events.js';
import type { SystemEventType } from '../../domain/system-events.js';
import type { SystemProfileState } from '../../domain/system-profile.js';
import { refused } from '../../errors.js';
import type { StoredEvent } from '../../ledger/event.js';
import { compileUpcasters } from '../../ledger/upcasting.js';
import { eventUpcasters } from '../../../migrations/events/index.js';
import { checkIncomingStream } from './imported-event-check.js';
import { upcastIncoming } from './import-streams.js';
import type { Session } from '../session/session-context.js';
import { foldSystem, systemStream } from '../system/system-stream.js';

export interface SystemImport {
  readonly stream: typeof systemStream;
  readonly localVersion: number;
  /** The bundle's system events this ledger does not have yet, to append verbatim. */
  readonly fresh: readonly StoredEvent[];
  readonly before: SystemProfileState;
  readonly planned: SystemProfileState;
}

export async function planSystemImport(session: Session, events: readonly StoredEvent[]): Promise<SystemImport> {
  const upcast = compileUpcasters(eventUpcasters);
  const local = await session.ledger.readStream(systemStream, 1, { upcast: false });
  const split = events.findIndex((event, index) => local[index] !== undefined && local[index]?.hash !== event.hash);
  if (split >= 0) {
    throw refused(
      'GENLEDGER_STREAM_DIVERGED',
      `nothing was imported: this ledger and the bundle recorded different histories for '${systemStream}' at version ${split + 1}`,
      'compare them with genledger log -p system; to keep both, import the bundle into another state home (--home DIR)',
    );
  }
  const fresh = events.slice(local.length);
  fresh.forEach(checkUnderstood);
  const whole = [...local.map(upcast), ...fresh.map((event) => upcastIncoming(upcast, event))];
  checkIncomingStream(systemStream, whole, fresh.length, { now: session.world.now(), storeDir: session.store.storeDir });
  const before = foldSystem(whole.slice(0, local.length));
  return { stream: systemStream, localVersion: local.length, fresh, before, planned: foldSystem(whole.slice(local.length), before) };
}

function checkUnderstood(event: StoredEvent): void {
  const known = Object.hasOwn(systemEventVersions, event.type) ? systemEventVersions[event.type as SystemEventType] : undefined;
  if (known === undefined) return;
  if (event.v > known) {
    throw refused(
      'GENLEDGER_UNKNOWN_EVENT',
      `event ${event.version} of '${event.stream}' in the bundle is a ${event.type} v${event.v}, which this genledger does not know as a system event`,
      'import with the genledger version that exported it, or a newer one',
    );
  }
}
