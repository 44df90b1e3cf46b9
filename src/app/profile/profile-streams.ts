/**
 * Which ledger streams are profiles: all but the bookkeeping streams of
 * GC roots, collections and `~/.nix-profile` switches, and the system stream, whose events follow
 * nixos-rebuild's rules (folded by `system-stream.ts`, not the profile
 * evolve).
 */
import type { Ledger } from '../../ledger/ledger.js';
import { gcStream, profileSwitchStream, rootsStream } from '../session/bookkeeping-streams.js';
import { systemStream } from '../system/system-stream.js';

const bookkeepingStreams = new Set([rootsStream, gcStream, profileSwitchStream, systemStream]);

export async function listProfileStreams(ledger: Ledger): Promise<string[]> {
  return (await ledger.streams()).filter(isProfileStream);
}

export function isProfileStream(stream: string): boolean {
  return !bookkeepingStreams.has(stream);
}
