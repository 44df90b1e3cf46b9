/**
 * The mutating profile use cases: each resolves what it needs from the
 * world (catalogs, directories) and hands a ProfileCommand to the
 * transaction. Rendering the outcome is the CLI's job.
 */
import { parseCatalogUrl } from '../../catalog/catalog-ref.js';
import type { ProfileCommand, ResolvedUpgrade } from '../../domain/profile-commands.js';
import { currentGeneration } from '../../domain/profile-state.js';
import { refused } from '../../errors.js';
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
  return runProfileTransaction(
    session,
    location,
    async () => {
      const resolved = [];
      for (const installable of installables) resolved.push(await resolver.resolve(installable));
      return { kind: 'install', installables: resolved };
    },
    { ...options, pending: resolver.pending },
  );
}

export async function upgradePackages(
  session: Session,
  location: ProfileLocation,
  names: readonly string[],
  options: TransactionOptions,
): Promise<TransactionOutcome> {
  const resolver = new InstallableResolver(session, { dryRun: options.dryRun });
  return runProfileTransaction(
    session,
    location,
    async (state) => {
      const elements = currentGeneration(state)?.manifest.elements ?? [];
      for (const name of names) {
        const element = elements.find((e) => e.name === name);
        if (element === undefined) throw refused('GENLEDGER_NO_MATCH', `no installed package is named '${name}'`, 'see genledger profile list');
        if (element.source === undefined) throw refused('GENLEDGER_NOT_UPGRADABLE', `'${name}' was installed from a store path, not a catalog, so there is nothing to upgrade it from`);
      }
      const upgrades: ResolvedUpgrade[] = [];
      for (const element of elements) {
        if (element.source === undefined || (names.length > 0 && !names.includes(element.name))) continue;
        const url = parseCatalogUrl(element.source.originalUrl);
        if (url === null) continue;
        const resolved = await resolver.resolveCatalogElement(url.catalogFile, element.source.attrPath);
        upgrades.push({ name: element.name, storePaths: resolved.storePaths, source: resolved.source });
      }
      return { kind: 'upgrade', upgrades };
    },
    { ...options, pending: resolver.pending },
  );
}

export function changeProfile(session: Session, location: ProfileLocation, command: ProfileCommand, options: TransactionOptions): Promise<TransactionOutcome> {
  return runProfileTransaction(session, location, async () => command, options);
}
