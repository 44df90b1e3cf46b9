/**
 * Which of the two repairs a `verify` problem calls for, and the words its
 * advice uses for it. `replay` restores the disk to what the ledger says
 * (a projection that differs, a stale cache or checkpoint, a leftover
 * temporary link); `adopt` records in the ledger a change made outside
 * genledger (drift). Every other problem (a broken chain, a missing store
 * path, a damaged database, a stray entry) needs something else, named in
 * its own message, and has no fix here.
 */
export type ProblemFix = 'replay' | 'adopt';

export const replayAdvice = 'replay restores this: genledger replay';

export function adoptAdvice(profile: string): string {
  return `adopt records this: genledger adopt -p ${profile}`;
}

const fixOfKind: Readonly<Record<string, ProblemFix>> = {
  projection: 'replay',
  snapshot: 'replay',
  checkpoint: 'replay',
  'temporary-link': 'replay',
  drift: 'adopt',
};

/** The fix a problem names: its own when it says (a stray entry is drift that `adopt` cannot record), else its kind's. */
export function problemFix(problem: { readonly kind: string; readonly fix?: ProblemFix | null }): ProblemFix | null {
  return problem.fix !== undefined ? problem.fix : (fixOfKind[problem.kind] ?? null);
}
