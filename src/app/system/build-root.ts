/**
 * The GC root that keeps a configuration Nix just built alive until the
 * generation link roots it: a result link in a temporary directory of the
 * command, as nixos-rebuild's `--out-link $tmpDir/result`. Nix registers
 * the link as an indirect root when it builds; removing the directory at
 * the end of the command drops it (Nix forgets an indirect root whose link
 * is gone). The directory is made only when a build asks for the link.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BuildRoot {
  /** Where the build leaves its result link. */
  outLink(): string;
  release(): void;
}

export function temporaryBuildRoot(): BuildRoot {
  let dir: string | null = null;
  return {
    outLink: () => {
      dir ??= mkdtempSync(join(tmpdir(), 'genledger-nixos-build-'));
      return join(dir, 'result');
    },
    release: () => {
      if (dir !== null) rmSync(dir, { recursive: true, force: true });
      dir = null;
    },
  };
}

/** Runs `work` with a build root, released when it is done, however it ends. */
export async function withBuildRoot<T>(work: (root: BuildRoot) => Promise<T>): Promise<T> {
  const root = temporaryBuildRoot();
  try {
    return await work(root);
  } finally {
    root.release();
  }
}
