/**
 * The store contract on a store a real Nix 2.8 keeps: a chroot store in a
 * temporary directory (`local?root=DIR`), reached through `nix-daemon
 * --stdio` exactly as `--store nix:local?root=DIR` reaches it. Needs root
 * (Nix opens its own database); skipped, saying why, without Nix or root.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { NixDaemonClient } from '../../src/store/nix/nix-daemon-client.js';
import { NixDaemonStore } from '../../src/store/nix/nix-daemon-store.js';
import { resolveNixStoreTarget } from '../../src/store/nix/nix-store-uri.js';
import { StoreLocation } from '../../src/store/store-location.js';
import { removeTree } from '../../src/store/remove-tree.js';
import { storeContract } from './store-contract.js';

const runnable = (() => {
  if (process.getuid?.() !== 0) return 'not root (a chroot Nix store needs root)';
  try {
    execFileSync('nix-daemon', ['--version'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'nix-daemon not found (install nix-bin)';
  }
})();

if (runnable !== null) {
  console.warn(`store contract on Nix skipped: ${runnable}`);
  describe.skip(`Store contract on a Nix chroot store (${runnable})`, () => it('needs Nix and root', () => undefined));
} else {
  storeContract('a real Nix chroot store reached through nix-daemon --stdio', 'nix', async () => {
    const root = await mkdtemp(join(tmpdir(), 'genledger-nix-store-'));
    const target = resolveNixStoreTarget(`local?root=${root}`, { ...process.env, NIX_REMOTE: undefined });
    const store = new NixDaemonStore(target, new StoreLocation(target.storeDir, target.realStoreDir), () => NixDaemonClient.connect(target));
    return {
      store,
      close: async () => {
        await store.close();
        removeTree(root);
        await rm(root, { recursive: true, force: true });
      },
    };
  });
}
