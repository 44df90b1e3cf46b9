/**
 * How an event's actor reads in text output: `alice@host`, `root (sudo
 * from alice)@host`, `nobody (user namespace)@host`.
 */
import type { Actor } from '../../world.js';

export function actorText(actor: Actor): string {
  const notes = [actor.sudoUser ? `sudo from ${actor.sudoUser}` : '', actor.userNamespace ? 'user namespace' : ''].filter((note) => note !== '');
  return `${actor.user}${notes.length === 0 ? '' : ` (${notes.join(', ')})`}@${actor.host}`;
}
