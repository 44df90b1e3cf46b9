/**
 * Drift as `verify` reports it: one problem per change made outside
 * genledger, each saying so and how to record it, plus stray entries that
 * Nix would read as generations. `paths` are the links these explain, so
 * the projection differences they cause are not reported a second time.
 */
import { makeGenerationLinkName } from '../../domain/generation-link-name.js';
import type { GenerationDrift, ProfileDrift } from '../../domain/profile-drift.js';
import type { ObservedLinks } from '../../domain/observed-profile.js';
import { adoptAdvice } from '../verify/problem-fix.js';
import { externalStreamPrefix } from './profile-location.js';
import type { ProfileLocation } from './profile-location.js';

export interface DriftProblem {
  readonly kind: 'drift';
  readonly stream: string;
  readonly path: string;
  readonly message: string;
  /** Set (to null) on a stray entry: `adopt` does not record it, removing it fixes it. */
  readonly fix?: null;
}

export function driftProblems(location: ProfileLocation, links: ObservedLinks, drift: ProfileDrift): { problems: DriftProblem[]; paths: Set<string> } {
  const { stream } = location;
  const advice = `changed outside genledger; ${adoptAdvice(stream.startsWith(externalStreamPrefix) ? location.link : stream)}`;
  const problems: DriftProblem[] = driftFacts(location, drift).map(({ path, fact }) => ({ kind: 'drift', stream, path, message: `${fact}: ${advice}` }));
  const paths = new Set(problems.map((problem) => problem.path));
  for (const stray of links.strays) {
    problems.push({ kind: 'drift', stream, path: `${location.dir}/${stray.name}`, fix: null, message: `profile '${stream}' has a stray entry '${stray.name}' that Nix reads as generation ${stray.number}; remove it` });
  }
  return { problems, paths };
}

/** Each difference as a fact about the profile, with the link it concerns. */
export function driftFacts(location: ProfileLocation, drift: ProfileDrift): { path: string; fact: string }[] {
  const profile = `profile '${location.stream}'`;
  const linkOf = (number: number) => `${location.dir}/${makeGenerationLinkName(location.base, number)}`;
  const facts = drift.generations.map((item) => ({ path: linkOf(item.generation), fact: `${profile} ${describe(item)}` }));
  if (drift.current !== undefined) {
    const { ledger, disk } = drift.current;
    facts.push({ path: location.link, fact: `${profile} points at generation ${disk ?? 'none'}, but the ledger's current generation is ${ledger ?? 'none'}` });
  }
  return facts;
}

function describe(item: GenerationDrift): string {
  switch (item.kind) {
    case 'appeared':
      return `has generation ${item.generation} (-> ${item.link.target}) that the ledger never recorded`;
    case 'reappeared':
      return `has generation ${item.generation} (-> ${item.link.target}) again, which the ledger deleted`;
    case 'retargeted':
      return `generation ${item.generation} points at ${item.link.target}, but the ledger says ${item.ledgerPath}`;
    case 'vanished':
      return `generation ${item.generation} (-> ${item.ledgerPath}) is gone from disk`;
  }
}
