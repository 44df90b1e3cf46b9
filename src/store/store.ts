/**
 * The store port: everything genledger needs of a Nix store, and nothing
 * of how one keeps it. Two adapters: the embedded store (store/embedded/,
 * its registry in genledger's own database, collected by genledger) and a
 * store run by a Nix installation (store/nix/, Nix's database the registry
 * and Nix's collector the only one that deletes). What they share is
 * `StoreCore`; what only one can do hangs off its `kind`.
 * test/contract/store-contract.ts is the specification both must pass.
 *
 * Every adapter promises, as Nix's LocalStore does:
 * - a path is valid when its record exists and its tree is on disk; a
 *   record never reaches the disk before the tree it vouches for, and
 *   `commit` is the barrier that makes staged records durable;
 * - path info is Nix's: NAR hash and size of the tree as stored, sorted
 *   references, content address, deriver, registration time; `closure`
 *   lists requisites in `nix-store -qR` order;
 * - adding is atomic: a tree is written under a temporary name and renamed
 *   into place under a temporary root of the adding process, so no reader
 *   ever sees half a path, and a collection never takes a tree a live
 *   process is adding;
 * - collection deletes only what neither the given roots nor the temporary
 *   roots of live processes reach, referrers before their references,
 *   and keeps directory entries it does not know unless asked;
 * - verification reports missing and corrupt paths and repairs nothing.
 */
import type { TreeProgress } from './tree-writer.js';
import type { PathInfo } from './path-info.js';
import type { StoreLocation } from './store-location.js';
import type { StoreDir } from './store-path.js';
import type { AddOptions } from './store-add.js';
import type { TreeToAdd } from './add-tree.js';
import type { NarToAdd } from './add-nar.js';
import type { NarInput } from './nar-source.js';
import type { GcPlan, ValidPathFacts } from './gc-plan.js';
import type { GcPlanOptions, GcProgress, GcResult } from './collect-garbage.js';
import type { TempRoots } from './temp-roots.js';
import type { StoreVerifyReport } from './store-verify.js';
import type { FaultInjector } from '../fault-injection.js';

export interface AddingOptions {
  readonly pid: number;
  readonly now: Date;
  readonly faults?: FaultInjector;
}

export interface StoreCore {
  /** Where paths are named (the logical store directory) and where their trees live. */
  readonly location: StoreLocation;
  readonly storeDir: StoreDir;

  info(path: string): Promise<PathInfo | null>;
  /** The path's info; GENLEDGER_NOT_VALID when it has none. */
  requireInfo(path: string): Promise<PathInfo>;
  /** Valid: registered and on disk. */
  isValid(path: string): Promise<boolean>;
  /** Registered, whether or not its tree is on disk (a collection's leftovers are told apart by this). */
  isRegistered(path: string): Promise<boolean>;
  /** Requisites of the given paths in `nix-store -qR` order; GENLEDGER_NOT_VALID for an unknown one. */
  closure(paths: readonly string[]): Promise<string[]>;
  /** The store path a user argument names: a store path, a path below one, or a link into the store. */
  resolveArgument(argument: string, cwd: string): string;

  /** `nix-store --add`: a file-system tree copied in, content-addressed. */
  addPath(source: string, options: AddOptions): Promise<PathInfo>;
  /** An in-memory tree whose digest the caller computed; a valid path is left alone. `written`: the tree `writeTreeAhead` wrote, moved into place; `onEntries`: hears the entries written (where genledger writes them). */
  addTree(item: TreeToAdd, options: AddingOptions & { readonly written?: string; readonly onEntries?: TreeProgress }): Promise<PathInfo>;
  /** A NAR restored under the path and info the caller vouches for; GENLEDGER_NAR_HASH_MISMATCH when it does not hash to `narHash`. */
  addNar(nar: NarInput, item: NarToAdd, options: AddingOptions): Promise<PathInfo>;
  /** Makes the staged records durable, after the trees they vouch for (`sync`: the records too). */
  commit(options: { sync: boolean }): Promise<void>;

  /** Holds existing paths for a running process (a collection keeps them while it lives). */
  addTempRoots(pid: number, paths: readonly string[]): Promise<void>;
  /** Drops a process's temporary roots: its records are committed, or it is gone. */
  releaseTempRoots(pid: number): void;

  /** Every registered path on disk and, with `contents`, hashing to its recorded NAR hash and size. */
  verify(options: { contents: boolean; onPath?: (done: number, total: number) => void | Promise<void> }): Promise<StoreVerifyReport>;
  /** Ends the command's use of the store (a connection to Nix is closed, its temporary roots with it). */
  close(): Promise<void>;
}

/** A store genledger keeps itself: its registry, and its collector. */
export interface OwnStore extends StoreCore {
  readonly kind: 'embedded';
  /** Every valid path with what a collection needs of it, in one scan. */
  validPaths(): Promise<ReadonlyMap<string, ValidPathFacts>>;
  /** Writes a tree under a temporary name the store's collector leaves to its live process, touching no database; returns that name. */
  writeTreeAhead(item: TreeToAdd, options: { readonly pid: number; readonly faults?: FaultInjector; readonly onEntries?: TreeProgress }): string;
  /** Records a tree the caller moved into the store under its temporary root. */
  register(info: PathInfo): Promise<void>;
  /** The paths each process of this home recorded as being added. */
  tempRoots(): TempRoots[];
  /** What a collection from `roots` (and the live processes' temporary roots) would delete and keep. */
  planCollection(valid: ReadonlyMap<string, ValidPathFacts>, roots: Iterable<string>, options: GcPlanOptions): GcPlan;
  /** Forgets the plan's dead paths and moves their trees into the trash; emptying the trash is the caller's. A failing `onProgress` (a stop) ends it between two records. */
  carryOutCollection(plan: GcPlan, pid: number, onProgress?: (progress: GcProgress) => void | Promise<void>): Promise<GcResult>;
}

/** What Nix's collector did, or would do (`dryRun`). */
export interface NixCollection {
  readonly deleted: readonly string[];
  readonly bytesFreed: number;
}

/** A store a Nix installation keeps: its database is the registry, its collector the only one that deletes. */
export interface NixStore extends StoreCore {
  readonly kind: 'nix';
  /** Nix's gcroots/auto, where the indirect roots of links made outside its roots directories live. */
  readonly autoRootsDir: string;
  /** Registers LINK as an indirect root in Nix's gcroots/auto, as `nix-store --add-root --indirect` does. */
  addIndirectRoot(link: string): Promise<void>;
  /**
   * The links Nix's collector follows as roots, as Nix names them (its
   * FindRoots): whether a generation link is rooted is Nix's answer, since
   * a daemon's gcroots/auto may be in a state directory this host cannot
   * see or does not know.
   */
  rootedLinks(): Promise<ReadonlySet<string>>;
  /**
   * Tells Nix again that PATHS are temporary roots of this command, after
   * the links that root them are made, as Nix's addPermRoot does. Nix's
   * collector reads the roots directories, then (later) the temporary
   * roots of live processes; a command that held PATHS before a collection
   * took its lock, made its links after that collection read the roots
   * directories and ended before it read the temporary roots would be seen
   * by neither. Said again now, they reach a running collection through
   * its socket, and a collection that starts later sees the links.
   */
  reannounceTempRoots(paths: readonly string[]): Promise<void>;
  /** Every root Nix's collector would follow, as its FindRoots reports them (runtime roots included). */
  gcRoots(): Promise<Array<{ readonly link: string; readonly storePath: string }>>;
  /** What Nix's collector calls live or dead (`--print-live`, `--print-dead`), deleting nothing. */
  listGarbage(kind: 'live' | 'dead', maxFreed?: number): Promise<readonly string[]>;
  /** Asks Nix's collector to collect (or, with `dryRun`, to list what is dead). */
  collectGarbage(options: { readonly dryRun: boolean; readonly maxFreed?: number }): Promise<NixCollection>;
  /** Makes the given paths valid through Nix's substituters when they are not. */
  ensureValid(paths: readonly string[]): Promise<void>;
  /** Has Nix build derived paths (`/nix/store/…drv!out`), as `nix-store --realise` does. */
  realise(derivedPaths: readonly string[]): Promise<void>;
}

export type Store = OwnStore | NixStore;
