/**
 * The fleet database's address: a `postgres://` or `postgresql://` URL from
 * --db (or GENLEDGER_FLEET_DB). Everything the CLI prints about it goes
 * through `redacted`, which never holds the password.
 */
import { usageError } from '../errors.js';

export interface FleetUrl {
  /** What the client connects with. */
  readonly text: string;
  /** The URL with any password replaced by `***`: the only form that is printed. */
  readonly redacted: string;
}

export function parseFleetUrl(text: string | undefined): FleetUrl {
  if (text === undefined || text === '') {
    throw usageError('GENLEDGER_FLEET_NO_DB', 'no fleet database named', 'pass --db postgres://USER@HOST/DATABASE or set GENLEDGER_FLEET_DB');
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usageError('GENLEDGER_FLEET_BAD_URL', 'the fleet database URL is not a URL', 'write it as postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE');
  }
  const redacted = redact(url);
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw usageError('GENLEDGER_FLEET_BAD_URL', `the fleet database URL ${redacted} is not a postgres:// URL`, 'write it as postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE');
  }
  if (url.pathname.length <= 1) {
    throw usageError('GENLEDGER_FLEET_BAD_URL', `the fleet database URL ${redacted} names no database`, 'end it with /DATABASE');
  }
  return { text, redacted };
}

function redact(url: URL): string {
  if (url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.password = '***';
  return copy.href;
}
