/**
 * A Nix store as genledger's Nix backend reaches it: the URI Nix would name
 * it by, how to speak the worker protocol to it, and where its store and
 * state directories are. Resolved from `--store nix[:URI]` and the
 * environment exactly as Nix itself chooses a store (nix-store-uri.ts).
 */
export type NixTransport =
  /** A running nix-daemon's Unix socket. */
  | { readonly kind: 'socket'; readonly socket: string }
  /** `nix-daemon --stdio` started for the command, opening `storeUri` itself (a local or chroot store). */
  | { readonly kind: 'stdio'; readonly storeUri: string };

export interface NixStoreTarget {
  /** The store as the user named it, for messages and the home's record ('auto', 'daemon', 'local?root=/srv/r', …). */
  readonly uri: string;
  readonly transport: NixTransport;
  /** What to pass to Nix's own commands as `--store` so they open this same store. */
  readonly cliStoreUri: string;
  /** The logical store directory paths are named for (/nix/store). */
  readonly storeDir: string;
  /** Where the trees are on this host (differs for a chroot store). */
  readonly realStoreDir: string;
  /** Nix's state directory on this host (profiles/, gcroots/), e.g. /nix/var/nix. */
  readonly stateDir: string;
}
