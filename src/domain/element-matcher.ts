/**
 * Which installed elements a `profile remove` or `profile upgrade` argument
 * names, as Nix 2.8's MixProfileElementMatchers: a whole number is the
 * element's index (as `profile list` shows it), a store path (or a path
 * inside one) names the elements containing it, anything else is an
 * extended, case-insensitive regular expression matched against the whole
 * catalog attribute path. genledger also matches it against element names,
 * and an exact element name always matches.
 */
import { usageError } from '../errors.js';
import type { ProfileElement } from './profile-manifest.js';

export type ElementMatcher = (element: ProfileElement, index: number) => boolean;

export type MatcherKind = 'index' | 'store-path' | 'pattern';

export function matcherKind(argument: string, storeDir: string): MatcherKind {
  if (/^[0-9]+$/.test(argument)) return 'index';
  return argument.startsWith(`${storeDir}/`) ? 'store-path' : 'pattern';
}

export function elementMatcher(argument: string, storeDir: string): ElementMatcher {
  const kind = matcherKind(argument, storeDir);
  if (kind === 'index') {
    const wanted = Number(argument);
    return (_element, index) => index === wanted;
  }
  if (kind === 'store-path') {
    const storePath = argument.split('/').slice(0, storeDir.split('/').length + 1).join('/');
    return (element) => element.storePaths.includes(storePath);
  }
  let pattern: RegExp;
  try {
    pattern = new RegExp(`^(?:${argument})$`, 'i');
  } catch {
    throw usageError('GENLEDGER_BAD_MATCHER', `'${argument}' is neither an index, a package name, a store path nor a valid regular expression`);
  }
  return (element) => element.name === argument || pattern.test(element.name) || (element.source !== undefined && pattern.test(element.source.attrPath));
}

/** The refusal's words when an argument matches nothing, in Nix's terms for each kind. */
export function noMatchMessage(argument: string, storeDir: string): string {
  switch (matcherKind(argument, storeDir)) {
    case 'index':
      return `'${argument}' is not a valid index: no installed package has it`;
    case 'store-path':
      return `'${argument}' does not match any installed package's paths`;
    default:
      return `no installed package matches '${argument}'`;
  }
}
