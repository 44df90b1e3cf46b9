/**
 * What the store knows about a valid path, as Nix's ValidPaths table does:
 * NAR hash and size, references, content address, registration time. The
 * record's references always equal those in the path's fingerprint.
 */
import type { Hash } from './hash.js';

export interface PathInfo {
  readonly path: string;
  readonly narHash: Hash;
  readonly narSize: number;
  readonly references: readonly string[];
  readonly ca: string | null;
  readonly registrationTime: number;
  readonly deriver?: string;
  /** Signatures Nix holds for the path (a Nix store's; the embedded store keeps none). */
  readonly signatures?: readonly string[];
  /** Built on this machine, as Nix records it (a Nix store's). */
  readonly ultimate?: boolean;
}

/** The shape of `nix path-info --json` (2.8), field order included. */
export function pathInfoJson(info: PathInfo): Record<string, unknown> {
  return {
    path: info.path,
    narHash: info.narHash.toSRI(),
    narSize: info.narSize,
    references: [...info.references],
    ...(info.ca === null ? {} : { ca: info.ca }),
    ...(info.deriver === undefined ? {} : { deriver: info.deriver }),
    registrationTime: info.registrationTime,
    ...(info.ultimate === true ? { ultimate: true } : {}),
    ...(info.signatures === undefined || info.signatures.length === 0 ? {} : { signatures: [...info.signatures] }),
  };
}
