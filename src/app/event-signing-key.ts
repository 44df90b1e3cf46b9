/**
 * The key that signs appended events, when one is configured: --sign-key
 * FILE, else $GENLEDGER_SIGN_KEY (a file path). A key file that cannot be
 * read or parsed is refused before anything is written.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { refused } from '../errors.js';
import { eventSigner } from '../ledger/event-signer.js';
import type { EventSigner } from '../ledger/event-signer.js';
import { parseSecretKey } from '../ledger/nix-key.js';
import type { World } from '../world.js';

export function configuredSigner(signKey: string | undefined, world: World): EventSigner | undefined {
  const file = signKey ?? world.env.GENLEDGER_SIGN_KEY;
  if (file === undefined || file === '') return undefined;
  let text: string;
  try {
    text = readFileSync(resolve(world.cwd, file), 'utf8');
  } catch (error) {
    throw refused('GENLEDGER_BAD_KEY', `cannot read signing key '${file}': ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  return eventSigner(parseSecretKey(text));
}
