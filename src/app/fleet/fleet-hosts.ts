/**
 * `fleet hosts`: every host that ever pushed, its first and last push, its profiles with their
 * current generations, its last event (the newest `at` of its streams'
 * heads).
 */
import type { FleetConnection } from '../../fleet/fleet-connection.js';
import { readHosts } from '../../fleet/fleet-query-store.js';

export interface FleetHost {
  readonly host: string;
  readonly firstPush: string;
  readonly lastPush: string;
  readonly lastEvent: { readonly at: string; readonly type: string; readonly stream: string } | null;
  readonly profiles: ReadonlyArray<{ readonly profile: string; readonly generation: number | null; readonly since: string | null; readonly events: number }>;
}

export async function fleetHosts(fleet: FleetConnection): Promise<FleetHost[]> {
  return (await readHosts(fleet)).map(({ host, firstPush, lastPush, streams }) => {
    const last = [...streams].sort((a, b) => Date.parse(b.lastAt) - Date.parse(a.lastAt))[0];
    return {
      host,
      firstPush: iso(firstPush),
      lastPush: iso(lastPush),
      lastEvent: last === undefined ? null : { at: iso(last.lastAt), type: last.lastType, stream: last.stream },
      profiles: streams.filter((stream) => stream.profile).map((stream) => ({ profile: stream.stream, generation: stream.generation, since: stream.since === null ? null : iso(stream.since), events: stream.version })),
    };
  });
}

function iso(text: string): string {
  return new Date(text).toISOString();
}
