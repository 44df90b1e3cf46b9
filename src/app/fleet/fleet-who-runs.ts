/**
 * `fleet who-runs NAME[@VERSION]` or `fleet who-runs STORE-PATH`: the
 * hosts and profiles whose current generation holds it directly, that is
 * as one of its elements' store paths (not somewhere in their closures).
 * A name and version are those Nix parses from the store path's name
 * (projection/drv-name.ts: `hello-2.12.1` is hello, 2.12.1). `since` is
 * the time of the event that made that generation current.
 */
import type { FleetConnection } from '../../fleet/fleet-connection.js';
import { readHoldersByName, readHoldersByPath } from '../../fleet/fleet-query-store.js';
import type { HoldingRow } from '../../fleet/fleet-query-store.js';

export type WhoRunsQuery = { readonly name: string; readonly version: string | null } | { readonly storePath: string };

/** A store path if it is absolute, else NAME or NAME@VERSION (split at the last `@`). */
export function parseWhoRuns(text: string): WhoRunsQuery {
  if (text.startsWith('/')) return { storePath: text.replace(/\/+$/, '') };
  const at = text.lastIndexOf('@');
  return at > 0 ? { name: text.slice(0, at), version: text.slice(at + 1) } : { name: text, version: null };
}

export async function whoRuns(fleet: FleetConnection, query: WhoRunsQuery): Promise<HoldingRow[]> {
  const rows = 'storePath' in query ? await readHoldersByPath(fleet, query.storePath) : await readHoldersByName(fleet, query.name, query.version);
  return rows.map((row) => ({ ...row, since: row.since === null ? null : new Date(row.since).toISOString() }));
}
