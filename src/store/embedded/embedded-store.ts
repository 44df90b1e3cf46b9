/**
 * The embedded store, the store port's first adapter (../store.ts): a
 * directory of trees laid out as Nix lays them out, its registry of valid
 * paths kept in genledger's own database (path-info-db.ts). Reads and the
 * closure live here; adding, NAR import, verification and collection are
 * the store modules this class hands each call to.
 */
import type { TreeProgress } from '../tree-writer.js';
import { existsSync } from 'node:fs';
import { refused } from '../../errors.js';
import { addNarToStore } from '../add-nar.js';
import type { NarToAdd } from '../add-nar.js';
import { addTreeToStore, writeTreeToTemp } from '../add-tree.js';
import type { TreeToAdd } from '../add-tree.js';
import { requisitesOf } from '../closure.js';
import { resolveStoreArgument } from '../store-argument.js';
import { carryOutGcPlan, readGcPlan, readValidPaths } from '../collect-garbage.js';
import type { GcPlanOptions, GcProgress, GcResult } from '../collect-garbage.js';
import type { GcPlan, ValidPathFacts } from '../gc-plan.js';
import type { NarInput } from '../nar-source.js';
import type { PathInfo } from '../path-info.js';
import type { PathInfoDb } from '../path-info-db.js';
import { addToStore } from '../store-add.js';
import type { AddOptions } from '../store-add.js';
import type { StoreLocation } from '../store-location.js';
import { verifyStorePaths } from '../store-verify.js';
import type { StoreVerifyReport } from '../store-verify.js';
import type { AddingOptions, OwnStore } from '../store.js';
import { addTempRoots, readTempRoots, removeTempRoots } from '../temp-roots.js';
import type { FaultInjector } from '../../fault-injection.js';
import type { TempRoots } from '../temp-roots.js';

export class EmbeddedStore implements OwnStore {
  readonly kind = 'embedded';

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
    return requisitesOf(paths, (path) => this.requireInfo(path));
  }

  resolveArgument(argument: string, cwd: string): string {
    return resolveStoreArgument(this.location.storeDir, argument, cwd);
  }

  async addPath(source: string, options: AddOptions): Promise<PathInfo> {
    return addToStore(this.location, this.pathInfos, source, options);
  }

  async addTree(item: TreeToAdd, options: AddingOptions & { readonly written?: string; readonly onEntries?: TreeProgress }): Promise<PathInfo> {
    return addTreeToStore(this.location, this.pathInfos, item, options);
  }

  writeTreeAhead(item: TreeToAdd, options: { readonly pid: number; readonly faults?: FaultInjector; readonly onEntries?: TreeProgress }): string {
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

  async addTempRoots(pid: number, paths: readonly string[]): Promise<void> {
    addTempRoots(this.location, pid, paths);
  }

  releaseTempRoots(pid: number): void {
    removeTempRoots(this.location, pid);
  }

  planCollection(valid: ReadonlyMap<string, ValidPathFacts>, roots: Iterable<string>, options: GcPlanOptions): GcPlan {
    return readGcPlan(this.location, valid, roots, options);
  }

  async carryOutCollection(plan: GcPlan, pid: number, onProgress?: (progress: GcProgress) => void | Promise<void>): Promise<GcResult> {
    return carryOutGcPlan(this.location, this.pathInfos, plan, pid, onProgress);
  }

  async close(): Promise<void> {}

  async verify(options: { contents: boolean; onPath?: (done: number, total: number) => void | Promise<void> }): Promise<StoreVerifyReport> {
    const infos = new Map((await this.pathInfos.all()).map((info) => [info.path, info]));
    return verifyStorePaths(this.location, [...infos.keys()], async (path) => infos.get(path) as PathInfo, 'registered', options);
  }
}
