/**
 * The store port's second adapter: a store a Nix installation keeps,
 * reached the way a Nix client reaches it, through the daemon's worker
 * protocol (a running nix-daemon's socket, or `nix-daemon --stdio` for a
 * local or chroot store). Nix's database is the only registry: genledger
 * asks it what is valid and hands it every path it creates as a NAR with
 * its info, content-addressed, so Nix checks the hash and needs no
 * signature even from a user it does not trust.
 *
 * Nix's guarantees are the ones this adapter gives: a path is valid when
 * Nix says so; what the command saw valid is held by a temporary root on
 * its connection until the command ends (so a concurrent collection never
 * takes a path a new generation needs); Nix's collector is the only one
 * that deletes. The connection is opened on first use: many commands never
 * touch the store.
 */
import { closeSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { integrityError, refused } from '../../errors.js';
import { fileChunks } from '../binary-cache/file-chunks.js';
import { requisitesOf } from '../closure.js';
import { renderContentAddress } from '../content-address.js';
import { Hash } from '../hash.js';
import type { NarToAdd } from '../add-nar.js';
import { contentAddressOf } from '../add-tree.js';
import type { TreeToAdd } from '../add-tree.js';
import { dumpTree } from '../nar-tree.js';
import type { NarInput } from '../nar-source.js';
import { hashPath } from '../nar-writer.js';
import type { PathInfo } from '../path-info.js';
import { ReferenceScanner } from '../reference-scanner.js';
import { removeTree } from '../remove-tree.js';
import { resolveStoreArgument } from '../store-argument.js';
import type { AddOptions } from '../store-add.js';
import { baseNameOf } from '../store-add.js';
import type { StoreLocation } from '../store-location.js';
import { checkStorePathName } from '../store-path.js';
import { verifyStorePaths } from '../store-verify.js';
import type { StoreVerifyReport, VerifyOptions } from '../store-verify.js';
import type { AddingOptions, NixCollection, NixStore } from '../store.js';
import type { NixDaemonClient, NixPathInfo } from './nix-daemon-client.js';
import type { NixStoreTarget } from './nix-store-target.js';

/** Nix's client sends this as "no limit" (2^64 - 1). */
const UNLIMITED = 0xffff_ffff_ffff_ffffn;

export class NixDaemonStore implements NixStore {
  readonly kind = 'nix';
  readonly autoRootsDir: string;
  private connection: Promise<NixDaemonClient> | null = null;
  /** Paths this command holds by a temporary root on its connection. */
  private readonly held = new Set<string>();
  /** Nix's roots as this command last asked for them; a root it adds makes them stale. */
  private roots: Promise<ReadonlyArray<{ readonly link: string; readonly target: string }>> | null = null;

  constructor(
    readonly target: NixStoreTarget,
    readonly location: StoreLocation,
    private readonly connect: () => Promise<NixDaemonClient>,
  ) {
    this.autoRootsDir = `${target.stateDir}/gcroots/auto`;
  }

  get storeDir() {
    return this.location.storeDir;
  }

  async info(path: string): Promise<PathInfo | null> {
    this.storeDir.parseStorePath(path);
    const info = await (await this.daemon()).queryPathInfo(path);
    return info === null ? null : fromNix(info);
  }

  async requireInfo(path: string): Promise<PathInfo> {
    const info = await this.info(path);
    if (info === null) throw refused('GENLEDGER_NOT_VALID', `path '${path}' is not valid in Nix's store ${this.target.uri}`, 'build or substitute it with Nix, or add it with genledger store add');
    return info;
  }

  /** Valid in Nix's database; the path is held by a temporary root first, so it stays valid while this command runs. */
  async isValid(path: string): Promise<boolean> {
    this.storeDir.parseStorePath(path);
    await this.hold([path]);
    return (await this.daemon()).isValidPath(path);
  }

  async isRegistered(path: string): Promise<boolean> {
    this.storeDir.parseStorePath(path);
    return (await this.daemon()).isValidPath(path);
  }

  async closure(paths: readonly string[]): Promise<string[]> {
    return requisitesOf(paths, (path) => this.requireInfo(path));
  }

  resolveArgument(argument: string, cwd: string): string {
    return resolveStoreArgument(this.storeDir, argument, cwd);
  }

  /** `nix-store --add`: the tree is read once, into a NAR beside it in a scratch directory, then handed to Nix. */
  async addPath(source: string, options: AddOptions): Promise<PathInfo> {
    const name = options.name ?? baseNameOf(source);
    checkStorePathName(name);
    const scratch = mkdtempSync(join(tmpdir(), 'genledger-add-'));
    try {
      const narFile = join(scratch, 'nar');
      const candidates = options.scanReferences === true ? await this.referenceCandidates() : new Map<string, string>();
      const scanner = new ReferenceScanner(candidates);
      const fd = openSync(narFile, 'wx', 0o600);
      let digest;
      try {
        digest = hashPath(source, (chunk) => {
          if (candidates.size > 0) scanner.feed(chunk);
          for (let written = 0; written < chunk.length; ) written += writeSync(fd, chunk, written, chunk.length - written);
        });
      } finally {
        closeSync(fd);
      }
      const references = [...scanner.found()].sort();
      const path = this.storeDir.makeSourcePath(digest.narHash, references, false, name);
      return await this.upload(fileChunks(narFile), { path, ...digest, references, ca: renderContentAddress({ method: 'recursive', hash: digest.narHash }) }, options);
    } finally {
      removeTree(scratch);
    }
  }

  async addTree(item: TreeToAdd, options: AddingOptions): Promise<PathInfo> {
    const chunks: Buffer[] = [];
    dumpTree(item.tree, (chunk) => chunks.push(Buffer.from(chunk)));
    const ca = contentAddressOf(item) ?? undefined;
    return this.upload(chunks, { path: item.path, narHash: item.digest.narHash, narSize: item.digest.narSize, references: item.references, ...(ca === undefined ? {} : { ca }), ...(item.deriver === undefined ? {} : { deriver: item.deriver }) }, options);
  }

  async addNar(nar: NarInput, item: NarToAdd, options: AddingOptions): Promise<PathInfo> {
    this.storeDir.parseStorePath(item.path);
    return this.upload(nar instanceof Uint8Array ? [nar] : nar, item, options);
  }

  /** Nix commits each registration itself. */
  async commit(): Promise<void> {}

  async addTempRoots(_pid: number, paths: readonly string[]): Promise<void> {
    await this.hold(paths);
  }

  /** A Nix client's temporary roots live as long as its connection: they go when the command closes it. */
  releaseTempRoots(): void {}

  async addIndirectRoot(link: string): Promise<void> {
    this.roots = null;
    await (await this.daemon()).addIndirectRoot(link);
  }

  async reannounceTempRoots(paths: readonly string[]): Promise<void> {
    // A command that made no link (a rollback only switches) need not open a connection for this.
    if (paths.length === 0) return;
    const daemon = await this.daemon();
    for (const path of paths) await daemon.addTempRoot(path);
  }

  async rootedLinks(): Promise<ReadonlySet<string>> {
    return new Set((await this.findRoots()).map((root) => root.link));
  }

  async gcRoots(): Promise<Array<{ link: string; storePath: string }>> {
    return (await this.findRoots()).map(({ link, target }) => ({ link, storePath: target }));
  }

  async listGarbage(kind: 'live' | 'dead', maxFreed?: number): Promise<readonly string[]> {
    const action = kind === 'live' ? 'returnLive' : 'returnDead';
    return (await (await this.daemon()).collectGarbage({ action, maxFreed: maxFreed === undefined ? UNLIMITED : BigInt(maxFreed) })).paths;
  }

  async collectGarbage(options: { readonly dryRun: boolean; readonly maxFreed?: number }): Promise<NixCollection> {
    const daemon = await this.daemon();
    const maxFreed = options.maxFreed === undefined ? UNLIMITED : BigInt(options.maxFreed);
    if (!options.dryRun) {
      const result = await daemon.collectGarbage({ action: 'deleteDead', maxFreed });
      return { deleted: result.paths, bytesFreed: Number(result.bytesFreed) };
    }
    // Nix lists the dead without sizing them: what deleting them would free is their NAR size.
    const dead = await this.listGarbage('dead', options.maxFreed);
    let bytesFreed = 0;
    for (const path of dead) bytesFreed += (await daemon.queryPathInfo(path))?.narSize ?? 0;
    return { deleted: dead, bytesFreed };
  }

  async ensureValid(paths: readonly string[]): Promise<void> {
    for (const path of paths) if (!(await this.isValid(path))) await (await this.daemon()).ensurePath(path);
  }

  async realise(derivedPaths: readonly string[]): Promise<void> {
    await (await this.daemon()).buildPaths(derivedPaths);
  }

  /** `nix-store --verify [--check-contents]` without repair: every path Nix holds valid on disk, and hashing to its NAR hash. */
  async verify(options: VerifyOptions): Promise<StoreVerifyReport> {
    const paths = (await (await this.daemon()).queryAllValidPaths()).sort();
    return verifyStorePaths(this.location, paths, (path) => this.requireInfo(path), "valid in Nix's database", options);
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    this.held.clear();
    this.roots = null;
    if (connection !== null) await (await connection).close();
  }

  private findRoots(): Promise<ReadonlyArray<{ readonly link: string; readonly target: string }>> {
    this.roots ??= this.daemon().then((daemon) => daemon.findRoots());
    return this.roots;
  }

  private daemon(): Promise<NixDaemonClient> {
    this.connection ??= this.connect();
    return this.connection;
  }

  private async hold(paths: readonly string[]): Promise<void> {
    const daemon = await this.daemon();
    for (const path of paths) {
      if (this.held.has(path)) continue;
      await daemon.addTempRoot(path);
      this.held.add(path);
    }
  }

  /** Hands Nix a NAR with its info; a path valid already is left alone, as Nix leaves it. */
  private async upload(nar: Iterable<Uint8Array>, item: NarToAdd, options: AddingOptions): Promise<PathInfo> {
    await this.hold([item.path]);
    const existing = await this.info(item.path);
    if (existing !== null) return existing;
    options.faults?.reach('during-store-add');
    const sent = { hash: Hash.incremental('sha256'), size: 0, whole: false };
    const counted = (function* () {
      for (const chunk of nar) {
        sent.hash.update(chunk);
        sent.size += chunk.length;
        yield chunk;
      }
      sent.whole = true;
    })();
    try {
      await (await this.daemon()).addToStoreNar(
        {
          path: item.path,
          deriver: item.deriver ?? null,
          narHash: item.narHash.toHex(),
          references: [...item.references].sort(),
          registrationTime: Math.floor(options.now.getTime() / 1000),
          narSize: item.narSize,
          signatures: [...(item.signatures ?? [])],
          ca: item.ca ?? null,
        },
        counted,
      );
    } catch (error) {
      // Nix refuses a NAR that does not hash as promised; say so as the embedded store does.
      if (sent.whole && (sent.size !== item.narSize || !sent.hash.digest().equals(item.narHash))) {
        throw integrityError('GENLEDGER_NAR_HASH_MISMATCH', `the NAR for '${item.path}' does not hash to ${item.narHash.toTyped('nix32')} (${item.narSize} bytes); Nix added nothing`);
      }
      throw error;
    }
    return this.requireInfo(item.path);
  }

  /** Every valid path by its hash part, for a reference scan (`store add --scan`). */
  private async referenceCandidates(): Promise<Map<string, string>> {
    const paths = await (await this.daemon()).queryAllValidPaths();
    const start = this.storeDir.path.length + 1;
    return new Map(paths.map((path) => [path.slice(start, start + 32), path]));
  }
}

function fromNix(info: NixPathInfo): PathInfo {
  return {
    path: info.path,
    narHash: Hash.parse(info.narHash, 'sha256'),
    narSize: info.narSize,
    references: [...info.references].sort(),
    ca: info.ca,
    registrationTime: info.registrationTime,
    ...(info.deriver === null ? {} : { deriver: info.deriver }),
    ...(info.signatures.length === 0 ? {} : { signatures: [...info.signatures].sort() }),
    ...(info.ultimate ? { ultimate: true } : {}),
  };
}
