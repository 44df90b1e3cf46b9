/**
 * `verify`'s problems grouped by the profile they concern: problems of the
 * home itself (its database, the log, the store, the checkpoint) first, as
 * profile `null`, then each profile by name. Within a group problems keep
 * the order verify found them in.
 */
export interface ProblemGroup<P> {
  readonly profile: string | null;
  readonly problems: readonly P[];
}

export function problemGroups<P extends { readonly profile: string | null }>(problems: readonly P[]): ProblemGroup<P>[] {
  const groups = new Map<string | null, P[]>();
  for (const problem of problems) {
    const group = groups.get(problem.profile);
    if (group === undefined) groups.set(problem.profile, [problem]);
    else group.push(problem);
  }
  const order = (profile: string | null) => (profile === null ? '' : `\u0001${profile}`);
  return [...groups].map(([profile, members]) => ({ profile, problems: members })).sort((a, b) => (order(a.profile) < order(b.profile) ? -1 : order(a.profile) > order(b.profile) ? 1 : 0));
}
