/**
 * Turns a manifest into its profile store path, and that path into a real
 * store object. `pathOf` runs buildenv over the packages as they are in the
 * store, renders `manifest.json`, and hashes the tree in memory, so the
 * path is known (and recorded in the event) before anything is written;
 * `materialise` writes the remembered tree. References are every element's
 * store paths, active or not, as `nix profile` records them.
 *
 * A nix-env generation (`version` 'nix-env') is a user environment
 * instead (user-environment-trees.ts): its env-manifest.nix and `.drv` are
 * added first; the output is written by genledger on its own store and
 * built by Nix from the `.drv` on Nix's.
 *
 * A big tree can be written ahead (`writeAhead`, with the database lock
 * given up) under a temporary name; `materialise` then only moves it into
 * place. The temporary trees are kept in a map the caller owns, so a
 * transaction that decides again reuses them when the same path comes out,
 * and removes the unused ones (`discardWritten`) when it ends.
 */
import type { ManifestVersion } from '../../domain/profile-events.js';
import type { FaultInjector } from '../../fault-injection.js';
import type { ProfileManifest } from '../../domain/profile-manifest.js';
import { integrityError } from '../../errors.js';
import { buildProfileTree } from '../../projection/buildenv.js';
import { renderManifest } from '../../projection/manifest-render.js';
import type { PackageView } from '../../projection/package-view.js';
import { profileTree } from '../../projection/profile-tree.js';
import type { TreeToAdd } from '../../store/add-tree.js';
import type { Store } from '../../store/store.js';
import { narHashOfTree } from '../../store/nar-tree.js';
import { removeTree } from '../../store/remove-tree.js';
import { countEntries } from '../../store/tree-writer.js';
import type { TreeProgress } from '../../store/tree-writer.js';
import { userEnvironmentTrees } from './user-environment-trees.js';
import type { UserEnvironmentTrees } from './user-environment-trees.js';

/** Store paths to the temporary trees written ahead for them. */
export type WrittenTrees = Map<string, string>;

export class ProfileBuilder {
  private readonly built = new Map<string, TreeToAdd>();
  /** For a nix-env generation's output: the text paths it is built from and its derivation. */
  private readonly userEnvironments = new Map<string, UserEnvironmentTrees>();
  readonly warnings: string[] = [];

  constructor(
    private readonly store: Store,
    private readonly view: PackageView,
    private readonly written: WrittenTrees = new Map(),
  ) {}

  readonly pathOf = (manifest: ProfileManifest, version: ManifestVersion): string => this.build(manifest, version).path;

  async materialise(expectedPath: string, manifest: ProfileManifest, version: ManifestVersion, options: { pid: number; now: Date; faults: FaultInjector; onEntries?: TreeProgress }): Promise<void> {
    if (await this.store.isValid(expectedPath)) return;
    // Replay on another machine: Nix substitutes the packages the log recorded; nothing is evaluated again.
    if (this.store.kind === 'nix') await this.store.ensureValid(manifest.elements.flatMap((element) => element.storePaths));
    const item = this.built.get(expectedPath) ?? this.build(manifest, version);
    if (item.path !== expectedPath) {
      throw integrityError(
        'GENLEDGER_PROFILE_PATH_MISMATCH',
        `rebuilding profile ${expectedPath} from its manifest gives ${item.path}`,
        'the packages in the store differ from those the ledger recorded; run genledger store verify --contents',
      );
    }
    const env = this.userEnvironments.get(expectedPath);
    const { onEntries, ...adding } = options;
    for (const input of env?.inputs ?? []) await this.store.addTree(input, adding);
    if (env !== undefined && this.store.kind === 'nix') {
      await this.realiseWithNix(env);
      return;
    }
    const written = this.written.get(expectedPath);
    await this.store.addTree(item, written === undefined ? options : { ...adding, written });
    this.written.delete(expectedPath);
  }

  /** How many file-system entries the tree `pathOf` gave for `path` holds (0 for a path it did not give). */
  entryCount(path: string): number {
    const item = this.built.get(path);
    return item === undefined ? 0 : countEntries(item.tree);
  }

  /** The store paths the tree `pathOf` gave for `path` refers to. */
  referencesOf(path: string): readonly string[] {
    return this.built.get(path)?.references ?? [];
  }

  /** Writes the trees of `paths` (given by `pathOf`) under temporary names; touches no database. */
  writeAhead(paths: readonly string[], options: { pid: number; faults: FaultInjector; onEntries?: TreeProgress }): void {
    if (this.store.kind !== 'embedded') return;
    for (const path of paths) {
      const item = this.built.get(path);
      if (item !== undefined && !this.written.has(path)) this.written.set(path, this.store.writeTreeAhead(item, options));
    }
  }

  /** On Nix's store the user environment is built as nix-env has it built: Nix runs the `.drv` (builtin buildenv). */
  private async realiseWithNix(env: UserEnvironmentTrees): Promise<void> {
    if (this.store.kind !== 'nix') return;
    await this.store.realise([`${env.drvPath}!out`]);
    const info = await this.store.info(env.output.path);
    if (info === null || !info.narHash.equals(env.output.digest.narHash)) {
      throw integrityError(
        'GENLEDGER_PROFILE_PATH_MISMATCH',
        `Nix built ${env.drvPath} into a user environment that differs from the one genledger computed (${env.output.path})`,
        'the packages in the store differ from those the ledger recorded; run nix-store --verify --check-contents',
      );
    }
  }

  private build(manifest: ProfileManifest, version: ManifestVersion): TreeToAdd {
    if (version === 'nix-env') {
      const env = userEnvironmentTrees(this.store.storeDir, manifest, this.view);
      this.warnings.push(...env.warnings);
      this.built.set(env.output.path, env.output);
      this.userEnvironments.set(env.output.path, env);
      return env.output;
    }
    const packages = manifest.elements.flatMap((element) => element.storePaths.map((path) => ({ path, priority: element.priority, active: element.active })));
    const { tree, warnings } = buildProfileTree(packages, this.view);
    this.warnings.push(...warnings);
    const full = profileTree(tree, renderManifest(manifest, version));
    const digest = narHashOfTree(full);
    const references = [...new Set(manifest.elements.flatMap((element) => element.storePaths))].sort();
    const path = this.store.storeDir.makeSourcePath(digest.narHash, references, false, 'profile');
    const item = { path, tree: full, digest, references };
    this.built.set(path, item);
    return item;
  }
}

/** Removes the trees written ahead that no transaction moved into place. */
export function discardWritten(written: WrittenTrees): void {
  for (const temp of written.values()) removeTree(temp);
  written.clear();
}
