/**
 * What a read command where no home is is refused with. GENLEDGER_NO_HOME
 * says only "not here"; a refusal the command would meet in any home says
 * more, so it wins: a -p that is no valid profile name (a usage error, exit
 * 2), and a --store-root another home claims (GENLEDGER_STORE_CLAIMED names
 * the home to use instead).
 */
import type { GlobalOptions } from './session-options.js';
import { resolveProfile } from '../profile/profile-location.js';
import type { StoreLocation } from '../../store/store-location.js';
import { noHome } from './home-access.js';
import type { StateHome } from './state-home.js';
import { claimStore } from './store-claim.js';

export function noHomeRefusal(home: StateHome, options: GlobalOptions, placed: StoreLocation | null, pid: number): Error {
  // With --store nix a relative -p is a path from the working directory, as Nix's --profile: any name will do.
  if (options.profile !== undefined && (options.store === undefined || options.store === 'embedded')) resolveProfile(home, options.profile);
  if (placed !== null) claimStore({ root: home.root }, placed, { pid, write: false });
  return noHome(home);
}
