/**
 * The arguments `delete-generations` records: the positional spec, or the
 * --keep/--keep-since options as an argument list. Shared by the profile
 * and system commands, so both read and record a policy alike.
 */
import { retentionArgs } from '../../domain/retention-policy.js';
import { usageError } from '../../errors.js';

export function deletionSpec(spec: readonly string[], keep: string | undefined, keepSince: string | undefined): string[] {
  const policy = retentionArgs(keep, keepSince);
  if (policy.length > 0 && spec.length > 0) throw usageError('GENLEDGER_BAD_GENERATION_SPEC', `give generations or --keep/--keep-since, not both ('${spec.join(' ')}')`);
  return policy.length > 0 ? policy : [...spec];
}
