/**
 * The commands a profile accepts, already resolved by the app layer: every
 * installable is a list of store paths with its source facts, every catalog
 * has been read. Nothing here needs the disk to be decided.
 */
import type { ElementSource } from './profile-manifest.js';

export interface ResolvedInstallable {
  /** The name the element should get (made unique on install). */
  readonly name: string;
  readonly storePaths: readonly string[];
  readonly priority: number;
  readonly source?: ElementSource;
  readonly installable: string;
  /** The `.drv` named on the command line, whose `out` output is the one store path (nix-env names the element after the `.drv`). */
  readonly derivation?: string;
}

export interface ResolvedUpgrade {
  readonly name: string;
  readonly storePaths: readonly string[];
  readonly source: ElementSource;
}

export type ProfileCommand =
  | { readonly kind: 'install'; readonly installables: readonly ResolvedInstallable[] }
  | { readonly kind: 'remove'; readonly matchers: readonly string[] }
  | { readonly kind: 'upgrade'; readonly upgrades: readonly ResolvedUpgrade[] }
  | { readonly kind: 'set-priority'; readonly name: string; readonly priority: number }
  | { readonly kind: 'rollback'; readonly to?: number }
  | { readonly kind: 'switch-generation'; readonly to: number }
  | { readonly kind: 'undo' }
  | { readonly kind: 'restore'; readonly generation: number }
  | { readonly kind: 'delete-generations'; readonly spec: readonly string[] }
  | { readonly kind: 'wipe-history'; readonly olderThan?: string };
