/**
 * Resolves what the user typed into facts the domain can decide on: a
 * store path (or a link into the store; a `.drv` stands for its `out`
 * output, derivation-installable.ts), a local directory (added to the
 * store), `CATALOG#attr` (the catalog read once, its content hash locked
 * into the element's URL), or a flake installable (all of a command's
 * resolved and built by one Nix call, flake-installable.ts; refused on the
 * embedded store). Under --dry-run nothing is added: the store path
 * a directory would get is computed, and `pending` remembers where to read
 * it from until then.
 */
import { lstatSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { lookup } from '../../catalog/catalog.js';
import { lockedUrl, originalUrl, parseCatalogRef } from '../../catalog/catalog-ref.js';
import { readCatalog, resolvePackageDirectory } from '../../catalog/read-catalog.js';
import type { ResolvedInstallable } from '../../domain/profile-commands.js';
import { defaultPriority } from '../../domain/profile-manifest.js';
import type { ElementSource } from '../../domain/profile-manifest.js';
import { isGenledgerError, refused, usageError } from '../../errors.js';
import { parseDrvName, storePathName } from '../../projection/drv-name.js';
import { elementName } from '../../projection/element-name.js';
import { flakesNeedNix, isFlakeInstallable, resolveFlakeInstallables } from '../../nix-cli/flake-installable.js';
import type { FlakeResolution, ResolvedFlakeElement } from '../../nix-cli/flake-installable.js';
import { hashPath } from '../../store/nar-writer.js';
import { baseNameOf } from '../../store/store-add.js';
import { checkStorePathName } from '../../store/store-path-name.js';
import type { Session } from '../session/session-context.js';
import { derivationOutput, isDerivationPath } from './derivation-installable.js';

export interface ResolveOptions {
  readonly priority?: number;
  readonly dryRun: boolean;
}

export class InstallableResolver {
  /** Store paths not yet added (dry run) → the directory they come from. */
  readonly pending = new Map<string, string>();
  /** Flake references already resolved by Nix (a retried transaction asks again). */
  private readonly flakes = new Map<string, ResolvedFlakeElement>();
  private readonly resolutions: FlakeResolution[] = [];

  constructor(
    private readonly session: Session,
    private readonly options: ResolveOptions,
  ) {}

  /** Resolves a command's installables in order, its flake installables in one Nix call. */
  async resolveAll(installables: readonly string[]): Promise<ResolvedInstallable[]> {
    await this.resolveFlakes(installables.filter((installable) => isFlakeInstallable(installable, this.session.world.cwd)));
    const resolved = [];
    for (const installable of installables) resolved.push(await this.resolve(installable));
    return resolved;
  }

  /**
   * Resolves flake references through Nix (one call for those not yet
   * resolved); refused on the embedded store, which has no evaluator.
   */
  async resolveFlakes(references: readonly string[]): Promise<ReadonlyMap<string, ResolvedFlakeElement>> {
    const fresh = [...new Set(references)].filter((reference) => !this.flakes.has(reference));
    if (fresh.length === 0) return this.flakes;
    const { nix, world } = this.session;
    if (nix === null) throw flakesNeedNix(fresh[0] as string);
    const resolution = await resolveFlakeInstallables(nix, fresh, { env: world.env, cwd: world.cwd });
    this.resolutions.push(resolution);
    fresh.forEach((reference, index) => this.flakes.set(reference, resolution.elements[index] as ResolvedFlakeElement));
    return this.flakes;
  }

  /** Gives up the temporary roots that kept Nix's builds alive; call when the command's generation is committed, or failed. */
  release(): void {
    for (const resolution of this.resolutions.splice(0)) resolution.release();
  }

  async resolve(installable: string): Promise<ResolvedInstallable> {
    if (installable.trim() === '') {
      throw usageError('GENLEDGER_BAD_INSTALLABLE', 'an empty installable names nothing', 'name a store path, a directory, a link into the store, CATALOG#attr or FLAKE#attr');
    }
    if (isFlakeInstallable(installable, this.session.world.cwd)) return this.fromFlake(installable);
    const ref = parseCatalogRef(installable, this.session.world.cwd);
    if (ref !== null) return this.fromCatalog(installable, ref.catalogFile, ref.attr);
    const storeDir = this.session.store.location.logicalDir;
    const absolute = this.followLink(resolve(this.session.world.cwd, installable), installable);
    if (absolute === storeDir || absolute === this.session.store.location.physicalDir) {
      throw refused('GENLEDGER_NOT_A_STORE_PATH', `'${installable}' is the store itself, not a package in it`, 'install a store path, a directory outside the store or CATALOG#attr');
    }
    if (absolute.startsWith(`${storeDir}/`) || !isDirectory(absolute)) {
      const storePath = this.session.store.resolveArgument(absolute, this.session.world.cwd);
      await this.requireValid(storePath, installable);
      if (isDerivationPath(storePath)) {
        const out = await derivationOutput(this.session.store, storePath, installable, this.options);
        return { ...this.element(installable, parseDrvName(storePathName(out)).name, [out]), derivation: storePath };
      }
      return this.element(installable, parseDrvName(storePathName(storePath)).name, [storePath]);
    }
    const storePath = await this.addDirectory(absolute, baseNameOf(absolute));
    return this.element(installable, parseDrvName(storePathName(storePath)).name, [storePath]);
  }

  /**
   * A link (like nix build's `./result`) stands for what it points at: a
   * store path when any hop of it lands in the store, else the real path of
   * its target. The link itself is never what gets installed.
   */
  private followLink(absolute: string, installable: string): string {
    if (lstatSync(absolute, { throwIfNoEntry: false })?.isSymbolicLink() !== true) return absolute;
    const { store, world } = this.session;
    try {
      return store.resolveArgument(absolute, world.cwd);
    } catch (error) {
      if (!isGenledgerError(error) || error.code !== 'GENLEDGER_NOT_A_STORE_PATH') throw error;
    }
    let real: string;
    try {
      real = realpathSync(absolute);
    } catch {
      throw refused('GENLEDGER_BROKEN_LINK', `'${installable}' is a link to something that does not exist`, 'point it at a store path or a directory');
    }
    return real.startsWith(`${store.location.physicalDir}/`) ? store.location.logical(real) : real;
  }

  async resolveCatalogElement(catalogFile: string, attr: string): Promise<{ storePaths: string[]; source: ElementSource; priority?: number }> {
    const { catalog, contentHash } = readCatalog(catalogFile);
    const entry = lookup(catalog, attr);
    const storePaths =
      entry.kind === 'directory'
        ? [await this.addDirectory(resolvePackageDirectory(catalogFile, entry), entry.storeName)]
        : [...entry.storePaths];
    for (const path of storePaths) await this.requireValid(path, `${catalogFile}#${attr}`);
    return {
      storePaths,
      source: { originalUrl: originalUrl(catalogFile), url: lockedUrl(catalogFile, contentHash), attrPath: attr },
      ...(entry.priority === undefined ? {} : { priority: entry.priority }),
    };
  }

  private async fromCatalog(installable: string, catalogFile: string, attr: string): Promise<ResolvedInstallable> {
    const { storePaths, source, priority } = await this.resolveCatalogElement(catalogFile, attr);
    return { ...this.element(installable, attr, storePaths), source, priority: this.options.priority ?? priority ?? defaultPriority };
  }

  private async fromFlake(installable: string): Promise<ResolvedInstallable> {
    const { storePaths, ...source } = (await this.resolveFlakes([installable])).get(installable) as ResolvedFlakeElement;
    return { ...this.element(installable, elementName({ storePaths, source }), [...storePaths]), source };
  }

  private element(installable: string, name: string, storePaths: string[]): ResolvedInstallable {
    return { installable, name, storePaths, priority: this.options.priority ?? defaultPriority };
  }

  private async addDirectory(directory: string, name: string): Promise<string> {
    const { session } = this;
    if (this.options.dryRun) {
      checkStorePathName(name);
      const path = session.store.storeDir.makeSourcePath(hashPath(directory).narHash, [], false, name);
      if (!(await session.store.isValid(path))) this.pending.set(path, directory);
      return path;
    }
    const info = await session.store.addPath(directory, { name, pid: session.world.pid, now: session.world.now(), faults: session.faults });
    return info.path;
  }

  private async requireValid(storePath: string, installable: string): Promise<void> {
    if (this.pending.has(storePath) || (await this.session.store.isValid(storePath))) return;
    throw refused('GENLEDGER_NOT_VALID', `'${installable}' names ${storePath}, which is not in the store`, 'add it with genledger store add, or import it from a binary cache');
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
