/**
 * The key that signs appended events, when one is configured: --sign-key
 * FILE, else $GENLEDGER_SIGN_KEY (a file path). A key file that cannot be
 * read or parsed is refused before anything is written.
 */
import { resolve } from 'node:path';
import { eventSigner } from '../../ledger/event-signer.js';
import type { EventSigner } from '../../ledger/event-signer.js';
import { readSecretKeyFile } from '../../ledger/key-files.js';
import type { World } from '../../world.js';

export function configuredSigner(signKey: string | undefined, world: World): EventSigner | undefined {
  const file = signKey ?? world.env.GENLEDGER_SIGN_KEY;
  if (file === undefined || file === '') return undefined;
  return eventSigner(readSecretKeyFile(resolve(world.cwd, file)));
}
