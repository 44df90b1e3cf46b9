/**
 * What a failed PostgreSQL call means to a user, as one GenledgerError:
 * the client's own text (which may quote the URL, a password included, or
 * a stack) is never shown for a failed connection; a refusal by the server
 * keeps only its first line and its SQLSTATE.
 */
import { GenledgerError, integrityError, refused } from '../errors.js';

/** The SQLSTATE the prev-link guard raises (migrations/fleet/0001-fleet-events.sql). */
export const CHAIN_GUARD_STATE = 'GL001';

interface PgError {
  readonly code?: unknown;
  readonly message?: unknown;
}

const connectReasons: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'nothing listens there',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve',
  ETIMEDOUT: 'it did not answer in time',
  EHOSTUNREACH: 'the host is unreachable',
  ENOENT: 'no such socket',
  '28P01': 'the password was refused',
  '28000': 'the server refused this user',
  '3D000': 'that database does not exist',
  '57P03': 'the server is starting up or shutting down',
};

export function connectFailure(error: unknown, redactedUrl: string): GenledgerError {
  if (error instanceof GenledgerError) return error;
  const code = typeof (error as PgError)?.code === 'string' ? ((error as PgError).code as string) : '';
  const reason = connectReasons[code] ?? (/timeout/i.test(String((error as PgError)?.message)) ? 'it did not answer in time' : 'the connection failed');
  return refused('GENLEDGER_FLEET_UNREACHABLE', `cannot connect to the fleet database ${redactedUrl}: ${reason}`, 'check the URL, that PostgreSQL runs there, and that this user may log in');
}

export function queryFailure(error: unknown, redactedUrl: string): unknown {
  if (error instanceof GenledgerError || !(error instanceof Error)) return error;
  const code = (error as PgError).code;
  if (code === CHAIN_GUARD_STATE) {
    return integrityError('GENLEDGER_FLEET_CHAIN_REFUSED', `the fleet database refused an event: ${firstLine(error.message)}`, 'run genledger verify here and genledger fleet verify; nothing of that batch was written');
  }
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('57P') && !code.startsWith('08')) {
    return refused('GENLEDGER_FLEET_DB_ERROR', `the fleet database refused: ${firstLine(error.message)} (SQLSTATE ${code})`, 'check the database user\'s rights and the schema (genledger fleet init)');
  }
  if (typeof code === 'string' || /connection|terminated|socket|ECONNRESET|EPIPE/i.test(error.message)) {
    return refused('GENLEDGER_FLEET_CONNECTION_LOST', `the connection to the fleet database ${redactedUrl} was lost`, 'run the command again: a push resumes where the fleet database stands, without gaps or duplicates');
  }
  return error;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
