/**
 * `verify`'s problems as text: a heading per profile with its count (the
 * home's own problems first), each problem indented under it. Given a
 * budget of lines (a terminal's screenful), it stops there and says how
 * many problems it left out; without one it prints them all.
 */
import type { ReportedProblem } from '../../app/verify/verify.js';
import { problemGroups } from '../../app/verify/problem-groups.js';
import { systemStream } from '../../app/system/system-stream.js';

function heading(profile: string | null, count: number): string {
  const subject = profile === null ? 'the home' : profile === systemStream ? 'the system profile' : `profile '${profile}'`;
  return `${subject}: ${count} ${count === 1 ? 'problem' : 'problems'}`;
}

export function verifyProblemLines(problems: readonly ReportedProblem[], budget: number | null): string[] {
  const lines: string[] = [];
  let shown = 0;
  for (const group of problemGroups(problems)) {
    // A heading is worth its line only with at least one of its problems under it.
    if (budget !== null && lines.length + 2 > budget) break;
    lines.push(heading(group.profile, group.problems.length));
    for (const problem of group.problems) {
      if (budget !== null && lines.length >= budget) break;
      lines.push(`  ${problem.message}`);
      shown++;
    }
  }
  const left = problems.length - shown;
  if (left > 0) lines.push(`… ${left} more ${left === 1 ? 'problem' : 'problems'}; --all shows them`);
  return lines;
}
