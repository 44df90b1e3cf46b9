/**
 * The mutating profile use cases: each resolves what it needs from the
 * world (catalogs, directories) and hands a ProfileCommand to the
 * transaction. Rendering the outcome is the CLI's job.
 */
import { parseCatalogUrl } from '../../catalog/catalog-ref.js';
import type { ProfileCommand, ResolvedUpgrade } from '../../domain/profile-commands.js';
import { currentGeneration } from '../../domain/profile-state.js';
import { upgradeSelection } from '../../domain/upgrade-selection.js';
import type { ElementSource } from '../../domain/profile-manifest.js';
import { isFlakeUrl } from '../../nix-cli/flake-installable.js';
import { upgradeFlakeElements } from './flake-upgrade.js';
import type { ProfileLocation } from './profile-location.js';
import { InstallableResolver } from './resolve-installables.js';
import { runProfileTransaction } from './profile-transaction.js';
import type { TransactionOptions, TransactionOutcome } from './profile-transaction.js';
import type { Session } from '../session/session-context.js';

export async function installPackages(
  session: Session,
  location: ProfileLocation,
  installables: readonly string[],
  options: TransactionOptions & { priority?: number },
): Promise<TransactionOutcome> {
  const resolver = new InstallableResolver(session, { dryRun: options.dryRun, ...(options.priority === undefined ? {} : { priority: options.priority }) });
  try {
    return await runProfileTransaction(
      session,
      location,
      async () => ({ kind: 'install', installables: await resolver.resolveAll(installables) }),
      { ...options, pending: resolver.pending },
    );
  } finally {
    resolver.release();
  }
}

export async function upgradePackages(
  session: Session,
  location: ProfileLocation,
  matchers: readonly string[],
  options: TransactionOptions,
): Promise<TransactionOutcome> {
  const resolver = new InstallableResolver(session, { dryRun: options.dryRun });
  try {
    return await runProfileTransaction(
      session,
      location,
      async (state) => {
        const chosen = upgradeSelection(currentGeneration(state)?.manifest.elements ?? [], matchers, session.store.storeDir.path);
        const flakes = await upgradeFlakeElements(session, resolver, chosen, matchers.length > 0);
        const upgrades: ResolvedUpgrade[] = [];
        for (const element of chosen) {
          const source = element.source as ElementSource;
          const fromFlake = flakes.get(element.name);
          if (fromFlake !== undefined) upgrades.push(fromFlake);
          if (isFlakeUrl(source.originalUrl)) continue;
          const url = parseCatalogUrl(source.originalUrl);
          if (url === null) continue;
          const resolved = await resolver.resolveCatalogElement(url.catalogFile, source.attrPath);
          upgrades.push({ name: element.name, storePaths: resolved.storePaths, source: resolved.source });
        }
        return { kind: 'upgrade', upgrades };
      },
      { ...options, pending: resolver.pending },
    );
  } finally {
    resolver.release();
  }
}

export function changeProfile(session: Session, location: ProfileLocation, command: ProfileCommand, options: TransactionOptions): Promise<TransactionOutcome> {
  return runProfileTransaction(session, location, async () => command, options);
}
