/**
 * Where a link's indirect GC root goes (`gcroots/auto/<name>` → the link):
 * the home's gcroots on the embedded store, whose roots genledger finds
 * itself; Nix's own on a Nix store, whose collector must find them.
 */
import type { Session } from './session-context.js';

export function autoRootsDir(session: Pick<Session, 'store' | 'home'>): string {
  return session.store.kind === 'nix' ? session.store.autoRootsDir : `${session.home.gcroots}/auto`;
}
