/**
 * Stream names: `profile`, `per-user/alice/profile`, `system`. A name is a
 * `/`-separated path of non-empty segments. It is part of LevelDB keys,
 * where `!` separates key parts, and it may later name a file or a table, so
 * `!`, control characters (NUL included), `.`/`..` segments and leading or
 * trailing `/` are refused here, once, before any key is built.
 */
import { usageError } from '../errors.js';

const MAX_LENGTH = 512;

/** Why `name` is not a valid stream name, or null when it is one. */
export function streamNameProblem(name: string): string | null {
  if (typeof name !== 'string') return 'is not a string';
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_LENGTH) return `is longer than ${MAX_LENGTH} characters`;
  if (name.includes('!')) return "contains '!'";
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'contains a control character';
  if (name.startsWith('/')) return "starts with '/'";
  if (name.endsWith('/')) return "ends with '/'";
  for (const segment of name.split('/')) {
    if (segment === '') return 'has an empty segment';
    if (segment === '.' || segment === '..') return `has a '${segment}' segment`;
  }
  return null;
}

export function assertStreamName(name: string): void {
  const problem = streamNameProblem(name);
  if (problem !== null) {
    throw usageError('GENLEDGER_BAD_STREAM', `the stream name ${JSON.stringify(name)} ${problem}`, "use names like 'profile' or 'per-user/alice/profile'");
  }
}
