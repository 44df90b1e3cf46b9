/**
 * Which installed elements a `profile remove` argument names: an element
 * name exactly, a store path (elements containing it), or otherwise an
 * extended, case-insensitive regular expression matched against element
 * names and catalog attribute paths (as `nix profile remove --regex`).
 */
import { usageError } from '../errors.js';
import type { ProfileElement } from './profile-manifest.js';

export type ElementMatcher = (element: ProfileElement) => boolean;

export function elementMatcher(argument: string, storeDir: string): ElementMatcher {
  if (argument.startsWith(`${storeDir}/`)) {
    const storePath = argument.split('/').slice(0, storeDir.split('/').length + 1).join('/');
    return (element) => element.storePaths.includes(storePath);
  }
  let pattern: RegExp;
  try {
    pattern = new RegExp(`^(?:${argument})$`, 'i');
  } catch {
    throw usageError('GENLEDGER_BAD_MATCHER', `'${argument}' is neither a package name, a store path nor a valid regular expression`);
  }
  return (element) => element.name === argument || pattern.test(element.name) || (element.source !== undefined && pattern.test(element.source.attrPath));
}
