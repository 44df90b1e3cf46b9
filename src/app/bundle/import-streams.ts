/**
 * How each stream of a bundle meets the local ledger, decided for all of
 * them before anything is written: which events are new here (the bundle
 * continues the local stream), which are already present (the same hashes),
 * and whether any stream diverged (a different event at a version both
 * have), which refuses the whole import. The profile state after the import
 * is folded here too, so the store and the projection can be planned from
 * it before the first event is appended, once every new event has passed
 * the gate of imported-event-check.ts.
 */
import { profileEventVersions } from '../../domain/profile-events.js';
import type { ProfileEventType } from '../../domain/profile-events.js';
import type { ProfileState } from '../../domain/profile-state.js';
import { isGenledgerError, refused } from '../../errors.js';
import type { StoredEvent } from '../../ledger/event.js';
import { compileUpcasters } from '../../ledger/upcasting.js';
import { eventUpcasters } from '../../../migrations/events/index.js';
import { checkIncomingStream, invalidEvent } from './imported-event-check.js';
import type { ProfileLocation } from '../profile/profile-location.js';
import { foldProfile } from '../profile/profile-stream.js';
import type { Session } from '../session/session-context.js';

export interface StreamImport {
  readonly stream: string;
  readonly location: ProfileLocation;
  /** The local stream's version before the import. */
  readonly localVersion: number;
  /** The bundle's events this ledger does not have yet, to append verbatim. */
  readonly fresh: readonly StoredEvent[];
  /** The profile as this ledger knows it before the import. */
  readonly before: ProfileState;
  /** The profile after the import. */
  readonly planned: ProfileState;
}

export async function planStreamImports(
  session: Session,
  selected: ReadonlyArray<{ readonly location: ProfileLocation; readonly events: readonly StoredEvent[] }>,
): Promise<StreamImport[]> {
  const upcast = compileUpcasters(eventUpcasters);
  const imports: StreamImport[] = [];
  const diverged: string[] = [];
  for (const { location, events } of selected) {
    const { stream } = location;
    const local = await session.ledger.readStream(stream, 1, { upcast: false });
    const split = events.findIndex((event, index) => local[index] !== undefined && local[index]?.hash !== event.hash);
    if (split >= 0) {
      diverged.push(`'${stream}' at version ${split + 1}`);
      continue;
    }
    const fresh = events.slice(local.length);
    fresh.forEach(checkUnderstood);
    const whole = [...local.map(upcast), ...fresh.map((event) => upcastIncoming(upcast, event))];
    checkIncomingStream(stream, whole, fresh.length, { now: session.world.now(), storeDir: session.store.storeDir });
    const before = foldProfile(whole.slice(0, local.length));
    imports.push({ stream, location, localVersion: local.length, fresh, before, planned: foldProfile(whole.slice(local.length), before) });
  }
  if (diverged.length > 0) {
    throw refused(
      'GENLEDGER_STREAM_DIVERGED',
      `nothing was imported: this ledger and the bundle recorded different histories for ${diverged.join(', ')}`,
      'compare them with genledger log -p NAME; to keep both, import the bundle into another state home (--home DIR)',
    );
  }
  await checkFreshIds(session, imports);
  return imports;
}

/** An older event's data is as untrusted as a current one's: an upcaster that cannot read it refuses the event. */
export function upcastIncoming(upcast: (event: StoredEvent) => StoredEvent, event: StoredEvent): StoredEvent {
  try {
    return upcast(event);
  } catch (error) {
    if (isGenledgerError(error)) throw error;
    throw invalidEvent(event.stream, event.version, `its ${event.type} v${event.v} data cannot be read as that version`);
  }
}

/** Only profile events of a schema this genledger knows can be folded and projected. */
function checkUnderstood(event: StoredEvent): void {
  const known = Object.hasOwn(profileEventVersions, event.type) ? profileEventVersions[event.type as ProfileEventType] : undefined;
  if (known === undefined || event.v > known) {
    throw refused(
      'GENLEDGER_UNKNOWN_EVENT',
      `event ${event.version} of '${event.stream}' in the bundle is a ${event.type} v${event.v}, which this genledger does not know as a profile event`,
      'import with the genledger version that exported it, or a newer one',
    );
  }
}

/** An event id names one event in the whole ledger; the bundle's new events must not reuse a stored one. */
export async function checkFreshIds(session: Session, imports: ReadonlyArray<{ readonly fresh: readonly StoredEvent[] }>): Promise<void> {
  const fresh = new Map<string, StoredEvent>();
  for (const { fresh: events } of imports) for (const event of events) fresh.set(event.id, event);
  if (fresh.size === 0) return;
  for await (const { event } of session.ledger.readLog({ upcast: false })) {
    const clash = fresh.get(event.id);
    if (clash !== undefined) {
      throw refused(
        'GENLEDGER_EVENT_ID_CONFLICT',
        `nothing was imported: event ${clash.version} of '${clash.stream}' in the bundle reuses the id '${clash.id}' of event ${event.version} of '${event.stream}' here`,
        'the bundle and this ledger disagree; compare them with genledger log',
      );
    }
  }
}
