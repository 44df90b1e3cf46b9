/**
 * buildenv: merges packages into the symlink tree of a profile, as Nix's
 * builtin buildenv does on disk (spec section 6), but as a value, so the
 * profile's NAR hash and store path are known before anything is written.
 *
 * Invariants kept, all of them Nix's:
 * - packages are linked in (priority, path byte-wise) order, each path once;
 *   propagated packages follow in waves at priorities 1000, 1001, …;
 * - a directory found in one package only is linked as one directory symlink;
 *   where two packages' directories meet, the link is expanded into a real
 *   directory and the old content re-linked from its fully resolved path,
 *   with the priority it was linked at;
 * - a file already linked stays when its priority number is lower, is
 *   replaced when higher, and equal priorities are a CollisionError.
 * Entries are processed in byte order, so warnings and errors are
 * deterministic where Nix follows readdir order.
 */

import { refused } from '../errors.js';
import type { NarDirectory, NarSymlink } from '../store/nar-node.js';
import { compareUtf8 } from '../store/nar-tree.js';
import { CollisionError } from './collision-error.js';
import type { PackageView } from './package-view.js';
import { stringSet } from './string-set.js';

export interface ProfilePackage {
  /** Absolute store path; link targets are built from this string. */
  readonly path: string;
  /** Lower number wins. */
  readonly priority: number;
  readonly active: boolean;
}

export interface BuiltProfileTree {
  readonly tree: NarDirectory;
  readonly warnings: readonly string[];
}

const FIRST_PROPAGATED_PRIORITY = 1000;

/** Useless or collision-prone in every profile (e.g. each Perl module's perllocal.pod). */
const SKIPPED_NAMES: ReadonlySet<string> = new Set([
  'propagated-build-inputs',
  'nix-support',
  'perllocal.pod',
  'log',
  'manifest.nix',
  'manifest.json',
]);

const PROPAGATED_PACKAGES_FILE = 'nix-support/propagated-user-env-packages';

const KIND_COLLISION_HINT = 'a file and a directory cannot be merged: remove one of the two packages';

interface TreeDirectory {
  readonly type: 'directory';
  readonly entries: Map<string, TreeEntry>;
}

type TreeEntry = TreeDirectory | NarSymlink;

/** The package a link was made for and the priority it was linked at; shared by all its links. */
interface LinkOrigin {
  readonly packagePath: string;
  readonly priority: number;
}

export function buildProfileTree(packages: readonly ProfilePackage[], view: PackageView): BuiltProfileTree {
  const linker = new ProfileLinker(view);
  const ordered = [...packages].sort((a, b) => a.priority - b.priority || compareUtf8(a.path, b.path));
  for (const pkg of ordered) {
    if (pkg.active) linker.addPackage(pkg.path, pkg.priority);
  }
  let priority = FIRST_PROPAGATED_PRIORITY;
  for (let wave = linker.takePostponed(); wave.length > 0; wave = linker.takePostponed()) {
    for (const path of wave) linker.addPackage(path, priority++);
  }
  return { tree: linker.root, warnings: linker.warnings };
}

class ProfileLinker {
  readonly root: TreeDirectory = { type: 'directory', entries: new Map() };
  readonly warnings: string[] = [];
  private readonly origins = new Map<NarSymlink, LinkOrigin>();
  private readonly done = new Set<string>();
  private postponed = new Set<string>();

  constructor(private readonly view: PackageView) {}

  addPackage(path: string, priority: number): void {
    if (this.done.has(path)) return;
    this.done.add(path);
    const kind = this.view.kind(path);
    if (kind === 'missing') {
      throw refused(
        'GENLEDGER_PACKAGE_MISSING',
        `package '${path}' does not exist`,
        'restore the store path (e.g. from a binary cache) or remove it from the profile',
      );
    }
    if (kind === 'file') {
      this.warnings.push(`not including '${path}' in the user environment because it's not a directory`);
    } else {
      this.createLinks(path, this.root, '', { packagePath: path, priority });
    }
    const propagated = this.view.readText(`${path}/${PROPAGATED_PACKAGES_FILE}`);
    for (const token of propagated?.split(/[ \n]/) ?? []) {
      if (token !== '' && !this.done.has(token)) this.postponed.add(token);
    }
  }

  /** The next wave of propagated packages, in byte order (Nix keeps them in a sorted set). */
  takePostponed(): string[] {
    const wave = stringSet(this.postponed);
    this.postponed = new Set();
    return wave;
  }

  private createLinks(srcDir: string, dst: TreeDirectory, dstPath: string, origin: LinkOrigin): void {
    for (const name of stringSet(this.view.list(srcDir))) {
      if (name.startsWith('.')) continue;
      const srcFile = `${srcDir}/${name}`;
      const kind = this.view.kind(srcFile);
      // The link's source names the package at fault; Nix prints the temporary destination.
      if (kind === 'missing') {
        this.warnings.push(`skipping dangling symlink '${srcFile}'`);
        continue;
      }
      if (isSkipped(srcDir, name)) continue;
      const existing = dst.entries.get(name);
      if (kind === 'directory' && existing !== undefined) {
        const path = joinPath(dstPath, name);
        const merged = existing.type === 'directory' ? existing : this.expand(dst, name, existing, srcFile, path);
        this.createLinks(srcFile, merged, path, origin);
        continue;
      }
      if (kind === 'file' && existing !== undefined) {
        if (existing.type === 'directory') {
          throw refused(
            'GENLEDGER_COLLISION',
            `collision between non-directory '${srcFile}' and directory '${joinPath(dstPath, name)}'`,
            KIND_COLLISION_HINT,
          );
        }
        const previous = this.originOf(existing);
        if (previous.priority === origin.priority) {
          throw new CollisionError({
            fileA: srcFile,
            fileB: existing.target,
            packageA: origin.packagePath,
            packageB: previous.packagePath,
            priority: origin.priority,
          });
        }
        if (previous.priority < origin.priority) continue;
      }
      this.link(dst, name, srcFile, origin);
    }
  }

  /**
   * Replaces a directory symlink by a real directory holding links to the old
   * directory's entries, based on its fully resolved path and linked with the
   * priority and package of the link being replaced. `srcFile` is the
   * directory about to be merged in, named if the old link is not a directory.
   */
  private expand(dst: TreeDirectory, name: string, link: NarSymlink, srcFile: string, path: string): TreeDirectory {
    const resolved = this.view.realPath(link.target);
    if (this.view.kind(resolved) !== 'directory') {
      throw refused(
        'GENLEDGER_COLLISION',
        `collision between '${srcFile}' and non-directory '${resolved}'`,
        KIND_COLLISION_HINT,
      );
    }
    const expanded: TreeDirectory = { type: 'directory', entries: new Map() };
    dst.entries.set(name, expanded);
    this.createLinks(resolved, expanded, path, this.originOf(link));
    return expanded;
  }

  private link(dst: TreeDirectory, name: string, target: string, origin: LinkOrigin): void {
    const symlink: NarSymlink = { type: 'symlink', target };
    dst.entries.set(name, symlink);
    this.origins.set(symlink, origin);
  }

  private originOf(link: NarSymlink): LinkOrigin {
    const origin = this.origins.get(link);
    if (origin === undefined) throw new Error(`buildenv: link to '${link.target}' has no recorded origin`);
    return origin;
  }
}

/** Nix tests these as suffixes of the source path; only `info/dir` needs the parent. */
function isSkipped(srcDir: string, name: string): boolean {
  return SKIPPED_NAMES.has(name) || (name === 'dir' && srcDir.endsWith('/info'));
}

function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}
