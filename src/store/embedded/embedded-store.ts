/**
 * The embedded store, the store port's first adapter (../store.ts): a
 * directory of trees laid out as Nix lays them out, its registry of valid
 * paths kept in genledger's own database (path-info-db.ts). Reads and the
 * closure live here; adding, NAR import, verification and collection are
 * the store modules this class hands each call to.
 */
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { refused } from '../../errors.js';
import { addNarToStore } from '../add-nar.js';
import type { NarToAdd } from '../add-nar.js';
import { addTreeToStore, writeTreeToTemp } from '../add-tree.js';
import type { TreeToAdd } from '../add-tree.js';
import { closureOf, topoSortPaths } from '../closure.js';
import { carryOutGcPlan, readGcPlan, readValidPaths } from '../collect-garbage.js';
import type { GcPlanOptions, GcProgress, GcResult } from '../collect-garbage.js';
import type { GcPlan, ValidPathFacts } from '../gc-plan.js';
import type { NarInput } from '../nar-source.js';
import type { PathInfo } from '../path-info.js';
import type { PathInfoDb } from '../path-info-db.js';
import { addToStore } from '../store-add.js';
import type { AddOptions } from '../store-add.js';
import type { StoreLocation } from '../store-location.js';
import { verifyStore } from '../store-verify.js';
import type { StoreVerifyReport } from '../store-verify.js';
import type { AddingOptions, Store } from '../store.js';
import { addTempRoots, readTempRoots, removeTempRoots } from '../temp-roots.js';
import type { FaultInjector } from '../../fault-injection.js';
import type { TempRoots } from '../temp-roots.js';

export class EmbeddedStore implements Store {
  constructor(
    readonly location: StoreLocation,
    /** The adapter's registry; the app never reaches it (it holds a Store), tests of the adapter may. */
    readonly pathInfos: PathInfoDb,
  ) {}

  get storeDir() {
    return this.location.storeDir;
  }

  async info(path: string): Promise<PathInfo | null> {
    return this.pathInfos.get(path);
  }

  async requireInfo(path: string): Promise<PathInfo> {
    const info = await this.pathInfos.get(path);
    if (info === null) throw refused('GENLEDGER_NOT_VALID', `path '${path}' is not valid in the store ${this.location.logicalDir}`, 'add it with genledger store add');
    return info;
  }

  async isValid(path: string): Promise<boolean> {
    return (await this.pathInfos.has(path)) && existsSync(this.location.physical(path));
  }

  async isRegistered(path: string): Promise<boolean> {
    return this.pathInfos.has(path);
  }

  async validPaths(): Promise<ReadonlyMap<string, ValidPathFacts>> {
    return readValidPaths(this.pathInfos);
  }

  /** Requisites of the given paths in `nix-store -qR` order. */
  async closure(paths: readonly string[]): Promise<string[]> {
    const references = new Map<string, readonly string[]>();
    for (const path of paths) await this.requireInfo(path);
    const load = async (frontier: readonly string[]) => {
      for (const path of frontier) {
        if (references.has(path)) continue;
        references.set(path, (await this.requireInfo(path)).references);
      }
    };
    let frontier: readonly string[] = paths;
    while (frontier.length > 0) {
      await load(frontier);
      frontier = frontier.flatMap((p) => references.get(p) ?? []).filter((r) => !references.has(r));
    }
    const referencesOf = (p: string) => references.get(p) ?? [];
    return topoSortPaths(closureOf(paths, referencesOf), referencesOf);
  }

  /**
   * The store path a user argument names: a store path, a path below one,
   * or a symlink (like a profile or `result` link) pointing into the store.
   */
  resolveArgument(argument: string, cwd: string): string {
    const storeDir = this.location.storeDir;
    const absolute = isAbsolute(argument) ? argument : resolve(cwd, argument);
    if (absolute.startsWith(`${storeDir.path}/`)) return storeDir.storePathOf(absolute);
    let target = absolute;
    for (let hops = 0; hops < 40; hops++) {
      let stat;
      try {
        stat = lstatSync(target);
      } catch {
        break;
      }
      if (!stat.isSymbolicLink()) break;
      target = resolve(target, '..', readlinkSync(target));
      if (target.startsWith(`${storeDir.path}/`)) return storeDir.storePathOf(target);
    }
    throw refused('GENLEDGER_NOT_A_STORE_PATH', `'${argument}' is not a store path or a link into the store ${storeDir.path}`);
  }

  async addPath(source: string, options: AddOptions): Promise<PathInfo> {
    return addToStore(this.location, this.pathInfos, source, options);
  }

  async addTree(item: TreeToAdd, options: AddingOptions & { readonly written?: string }): Promise<PathInfo> {
    return addTreeToStore(this.location, this.pathInfos, item, options);
  }

  writeTreeAhead(item: TreeToAdd, options: { readonly pid: number; readonly faults?: FaultInjector }): string {
    return writeTreeToTemp(this.location, item, options);
  }

  async addNar(nar: NarInput, item: NarToAdd, options: AddingOptions): Promise<PathInfo> {
    return addNarToStore(this.location, this.pathInfos, nar, item, options);
  }

  async register(info: PathInfo): Promise<void> {
    await this.pathInfos.put(info);
  }

  async commit(options: { sync: boolean }): Promise<void> {
    await this.pathInfos.commit(options);
  }

  tempRoots(): TempRoots[] {
    return readTempRoots(this.location);
  }

  addTempRoots(pid: number, paths: readonly string[]): void {
    addTempRoots(this.location, pid, paths);
  }

  releaseTempRoots(pid: number): void {
    removeTempRoots(this.location, pid);
  }

  planCollection(valid: ReadonlyMap<string, ValidPathFacts>, roots: Iterable<string>, options: GcPlanOptions): GcPlan {
    return readGcPlan(this.location, valid, roots, options);
  }

  async carryOutCollection(plan: GcPlan, pid: number, onProgress?: (progress: GcProgress) => void): Promise<GcResult> {
    return carryOutGcPlan(this.location, this.pathInfos, plan, pid, onProgress);
  }

  async verify(options: { contents: boolean; onPath?: (done: number, total: number) => void }): Promise<StoreVerifyReport> {
    return verifyStore(this.location, this.pathInfos, options);
  }
}
