/**
 * What a session is opened with: the options every command accepts, as the
 * CLI parses them (cli/global-options.ts declares them to commander), and
 * the settings derived from them. The application reads them; it never
 * depends on the CLI that fills them in.
 */
import { usageError } from '../../errors.js';

export interface GlobalOptions {
  home?: string;
  store?: string;
  storeDir?: string;
  storeRoot?: string;
  json?: boolean;
  profile?: string;
  reason?: string;
  quiet?: boolean;
  color?: boolean;
  lockTimeout?: string;
  signKey?: string;
  debug?: boolean;
}

export const defaultLockTimeoutSeconds = 10;

export function lockTimeoutMs(options: GlobalOptions): number {
  if (options.lockTimeout === undefined) return defaultLockTimeoutSeconds * 1000;
  const seconds = Number(options.lockTimeout);
  if (!/^\d+(\.\d+)?$/.test(options.lockTimeout) || !Number.isFinite(seconds)) {
    throw usageError('GENLEDGER_BAD_OPTION', `--lock-timeout takes a number of seconds, not '${options.lockTimeout}'`);
  }
  return Math.round(seconds * 1000);
}
