/**
 * SystemProfileSet and SystemActivated v1 → v2. Version 2 records what the
 * configuration was built from and what it is (`build`); version 1 did not
 * know, so it reads as `build: null`, as a rollback's does.
 */
import type { StoredEvent } from '../../src/ledger/event.js';
import type { Upcaster } from '../../src/ledger/upcasting.js';

function withoutBuild(type: string): Upcaster {
  return {
    type,
    from: 1,
    up: (event: StoredEvent): StoredEvent => ({ ...event, v: 2, data: { ...(event.data as Record<string, unknown>), build: null } }),
  };
}

export const systemProfileSetV1ToV2 = withoutBuild('SystemProfileSet');
export const systemActivatedV1ToV2 = withoutBuild('SystemActivated');
