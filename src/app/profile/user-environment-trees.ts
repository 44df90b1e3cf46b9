/**
 * The store objects of a nix-env generation (spec 8.1-8.3), ready to add:
 * `env-manifest.nix` and `user-environment.drv` as text paths (content
 * address `text:sha256:…`, their references in the fingerprint), and the
 * user environment itself: buildenv's tree plus the `manifest.nix` link,
 * input-addressed at the derivation's output path with the `.drv` as its
 * deriver, its references found by scanning the NAR for the inputs' hash
 * parts as a build's are (only packages buildenv linked, and the manifest).
 */
import type { ProfileManifest } from '../../domain/profile-manifest.js';
import { nixEnvFieldsOf } from '../../domain/nix-env-element.js';
import { buildProfileTree } from '../../projection/buildenv.js';
import type { PackageView } from '../../projection/package-view.js';
import { MANIFEST_NIX_LINK, userEnvironment } from '../../projection/user-environment.js';
import type { TreeToAdd } from '../../store/add-tree.js';
import { renderContentAddress } from '../../store/content-address.js';
import { Hash } from '../../store/hash.js';
import type { NarNode } from '../../store/nar-node.js';
import { dumpTree, narHashOfTree } from '../../store/nar-tree.js';
import { ReferenceScanner } from '../../store/reference-scanner.js';
import { HASH_PART_LENGTH } from '../../store/store-path.js';
import type { StoreDir } from '../../store/store-path.js';

export interface UserEnvironmentTrees {
  /** The text paths the output needs first: env-manifest.nix, then the `.drv`. */
  readonly inputs: readonly TreeToAdd[];
  readonly drvPath: string;
  readonly output: TreeToAdd;
  readonly warnings: readonly string[];
}

export function userEnvironmentTrees(storeDir: StoreDir, manifest: ProfileManifest, view: PackageView): UserEnvironmentTrees {
  const env = userEnvironment(storeDir, manifest.elements.map(nixEnvFieldsOf));
  const packages = manifest.elements.flatMap((element) => element.storePaths.map((path) => ({ path, priority: element.priority, active: element.active })));
  const { tree, warnings } = buildProfileTree(packages, view);
  const full: NarNode = { type: 'directory', entries: new Map<string, NarNode>([...tree.entries, [MANIFEST_NIX_LINK, { type: 'symlink', target: env.manifestPath }]]) };
  const output: TreeToAdd = {
    path: env.outPath,
    tree: full,
    digest: narHashOfTree(full),
    references: scanReferences(full, [env.manifestPath, ...env.manifestReferences], storeDir),
    ca: null,
    deriver: env.derivation.drvPath,
  };
  return {
    inputs: [textPath(env.manifestPath, env.manifestText, env.manifestReferences), textPath(env.derivation.drvPath, env.derivation.text, env.derivation.references)],
    drvPath: env.derivation.drvPath,
    output,
    warnings,
  };
}

function textPath(path: string, text: string, references: readonly string[]): TreeToAdd {
  const tree: NarNode = { type: 'regular', executable: false, contents: new TextEncoder().encode(text) };
  return { path, tree, digest: narHashOfTree(tree), references, ca: renderContentAddress({ method: 'text', hash: Hash.of('sha256', text) }) };
}

function scanReferences(tree: NarNode, candidates: readonly string[], storeDir: StoreDir): string[] {
  const start = storeDir.path.length + 1;
  const scanner = new ReferenceScanner(new Map(candidates.map((path) => [path.slice(start, start + HASH_PART_LENGTH), path])));
  dumpTree(tree, scanner.feed);
  return [...scanner.found()].sort();
}
