/**
 * What `verifyLedger` reports: one problem per fact found wrong, located by
 * seq and/or stream and version, sorted so the first bad seq comes first.
 */

export type ProblemKind = 'hash' | 'stream-chain' | 'log-chain' | 'missing' | 'order' | 'signature' | 'unsigned' | 'untrusted' | 'corrupt';

export interface LedgerProblem {
  seq?: number;
  stream?: string;
  version?: number;
  kind: ProblemKind;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  eventsChecked: number;
  problems: LedgerProblem[];
  /** Not failures: e.g. a stream whose events stopped being signed. */
  warnings: string[];
}

/** A problem about one event, phrased the way every ledger message names an event. */
export function eventProblem(kind: ProblemKind, stream: string, version: number, message: string): LedgerProblem {
  return { stream, version, kind, message: `event ${version} of stream '${stream}' ${message}` };
}

export function logProblem(kind: ProblemKind, seq: number, message: string): LedgerProblem {
  return { seq, kind, message: `log entry ${seq} ${message}` };
}

/** Orders problems by seq (those without one last), keeping discovery order among equals. */
export function sortProblems(problems: readonly LedgerProblem[]): LedgerProblem[] {
  return [...problems].sort((a, b) => (a.seq ?? Number.POSITIVE_INFINITY) - (b.seq ?? Number.POSITIVE_INFINITY));
}
