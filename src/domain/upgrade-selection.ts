/**
 * Which elements `profile upgrade ARG…` re-resolves: those an argument
 * matches (see element-matcher.ts) that were installed from a catalog or a
 * flake, as Nix 2.8 upgrades only elements with a source; no argument means
 * every such element (`--all`). An argument that matches nothing, or only
 * elements installed from store paths, is refused rather than ignored, so a
 * typo never passes for "nothing to upgrade".
 */
import { refused } from '../errors.js';
import { elementMatcher, noMatchMessage } from './element-matcher.js';
import type { ProfileElement } from './profile-manifest.js';

export function upgradeSelection(elements: readonly ProfileElement[], args: readonly string[], storeDir: string): ProfileElement[] {
  if (args.length === 0) return elements.filter((element) => element.source !== undefined);
  const chosen = new Set<ProfileElement>();
  for (const argument of args) {
    const matches = elementMatcher(argument, storeDir);
    const matched = elements.filter((element, index) => matches(element, index));
    if (matched.length === 0) throw refused('GENLEDGER_NO_MATCH', noMatchMessage(argument, storeDir), 'see genledger profile list');
    const upgradable = matched.filter((element) => element.source !== undefined);
    if (upgradable.length === 0) {
      const what = matched.length === 1 && matched[0] !== undefined ? `'${matched[0].name}' was` : `the ${matched.length} packages '${argument}' matches were`;
      const it = matched.length === 1 ? 'it' : 'them';
      throw refused('GENLEDGER_NOT_UPGRADABLE', `${what} installed from a store path, not a catalog or a flake, so there is nothing to upgrade ${it} from`);
    }
    for (const element of upgradable) chosen.add(element);
  }
  return elements.filter((element) => chosen.has(element));
}
