/**
 * `profile upgrade` of elements installed from flakes, as `nix profile
 * upgrade` does on Nix 2.8: an element whose originalUrl is unlocked is
 * re-resolved through Nix as `originalUrl#attrPath` (all of them in one Nix
 * call) and comes back newly locked, with the store paths of that build; an
 * element whose originalUrl is locked (a rev or narHash in it) is left
 * alone. Whether anything changed is the domain's to decide (it keeps an
 * upgrade only when the locked url or the store paths differ).
 */
import type { ResolvedUpgrade } from '../../domain/profile-commands.js';
import type { ProfileElement } from '../../domain/profile-manifest.js';
import { isFlakeUrl } from '../../nix-cli/flake-installable.js';
import type { ResolvedFlakeElement } from '../../nix-cli/flake-installable.js';
import { isLockedFlakeRef } from '../../nix-cli/flake-ref.js';
import type { Session } from '../session/session-context.js';
import type { InstallableResolver } from './resolve-installables.js';

/**
 * The upgrades of the chosen flake elements, by element name. On the
 * embedded store, which cannot evaluate flakes, `--all` passes over them
 * (as it always has) and naming one is refused (GENLEDGER_FLAKES_NEED_NIX).
 */
export async function upgradeFlakeElements(
  session: Session,
  resolver: InstallableResolver,
  chosen: readonly ProfileElement[],
  named: boolean,
): Promise<Map<string, ResolvedUpgrade>> {
  const floating = chosen.flatMap((element) =>
    element.source !== undefined && isFlakeUrl(element.source.originalUrl) && !isLockedFlakeRef(element.source.originalUrl)
      ? [{ name: element.name, reference: `${element.source.originalUrl}#${element.source.attrPath}` }]
      : [],
  );
  if (floating.length === 0 || (session.nix === null && !named)) return new Map();
  const resolved = await resolver.resolveFlakes(floating.map(({ reference }) => reference));
  return new Map(
    floating.map(({ name, reference }) => {
      const { storePaths, ...source } = resolved.get(reference) as ResolvedFlakeElement;
      return [name, { name, storePaths, source }];
    }),
  );
}
