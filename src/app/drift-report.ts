/**
 * Drift as `verify` reports it: one problem per change made outside
 * genledger, each saying so and how to record it, plus stray entries that
 * Nix would read as generations. `paths` are the links these explain, so
 * the projection differences they cause are not reported a second time.
 */
import { makeGenerationLinkName } from '../domain/generation-link-name.js';
import type { GenerationDrift, ProfileDrift } from '../domain/profile-drift.js';
import type { ObservedLinks } from '../domain/observed-profile.js';
import { externalStreamPrefix } from './profile-location.js';
import type { ProfileLocation } from './profile-location.js';

export interface DriftProblem {
  readonly kind: 'drift';
  readonly stream: string;
  readonly path: string;
  readonly message: string;
}

export function driftProblems(location: ProfileLocation, links: ObservedLinks, drift: ProfileDrift): { problems: DriftProblem[]; paths: Set<string> } {
  const { stream } = location;
  const profile = `profile '${stream}'`;
  const advice = `changed outside genledger; record it with 'genledger adopt -p ${stream.startsWith(externalStreamPrefix) ? location.link : stream}'`;
  const linkOf = (number: number) => `${location.dir}/${makeGenerationLinkName(location.base, number)}`;
  const problems: DriftProblem[] = drift.generations.map((item) => ({ kind: 'drift', stream, path: linkOf(item.generation), message: `${profile} ${describe(item)}: ${advice}` }));
  if (drift.current !== undefined) {
    const { ledger, disk } = drift.current;
    problems.push({ kind: 'drift', stream, path: location.link, message: `${profile} points at generation ${disk ?? 'none'}, but the ledger's current generation is ${ledger ?? 'none'}: ${advice}` });
  }
  const paths = new Set(problems.map((problem) => problem.path));
  for (const stray of links.strays) {
    problems.push({ kind: 'drift', stream, path: `${location.dir}/${stray.name}`, message: `${profile} has a stray entry '${stray.name}' that Nix reads as generation ${stray.number}; remove it` });
  }
  return { problems, paths };
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
