/**
 * Two packages put a file at the same place in a profile with the same
 * priority: buildenv cannot pick one, so the profile cannot be built. The
 * error carries both files, the packages they come from and the priority, so
 * callers can name the elements involved; the message keeps Nix 2.8's
 * wording, which names the file being linked first and the one already in
 * place second.
 */

import { ExitCode, GenledgerError } from '../errors.js';

export interface CollisionDetails {
  /** The file buildenv was linking when it met the collision. */
  readonly fileA: string;
  /** The file already linked at that place (the existing link's target). */
  readonly fileB: string;
  /** The package (store path) that `fileA` belongs to. */
  readonly packageA: string;
  /** The package (store path) that `fileB` belongs to. */
  readonly packageB: string;
  readonly priority: number;
}

export class CollisionError extends GenledgerError implements CollisionDetails {
  readonly fileA: string;
  readonly fileB: string;
  readonly packageA: string;
  readonly packageB: string;
  readonly priority: number;

  constructor(details: CollisionDetails) {
    super(
      'GENLEDGER_COLLISION',
      ExitCode.refused,
      `packages '${details.fileA}' and '${details.fileB}' have the same priority ${details.priority}`,
      "give one of them another priority with 'genledger profile set-priority NAME N', " +
        "or install it with '--priority N' (the lower number wins)",
    );
    this.fileA = details.fileA;
    this.fileB = details.fileB;
    this.packageA = details.packageA;
    this.packageB = details.packageB;
    this.priority = details.priority;
  }
}
