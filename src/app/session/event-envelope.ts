/**
 * Wraps a decided domain event in the ledger's envelope: a fresh id, the
 * schema version, the time, who (user, uid, sudo user, host), the command
 * line and the reason. This is where time and actor enter an event; the
 * domain never sees the clock. The actor is the World's unless the caller
 * records a change someone else made (import-nix dates and attributes
 * events to the Nix generations they take over).
 */
import type { NewEvent } from '../../ledger/event.js';
import type { Actor, World } from '../../world.js';

export interface DomainEvent {
  readonly type: string;
  readonly data: unknown;
}

export function envelope(world: World, at: Date, event: DomainEvent, version: number, reason: string | undefined, actor: Actor = world.actor): NewEvent {
  return {
    id: world.newId(),
    type: event.type,
    v: version,
    at: at.toISOString(),
    actor: { ...actor },
    command: ['genledger', ...world.argv],
    ...(reason === undefined ? {} : { reason }),
    data: event.data,
  };
}
