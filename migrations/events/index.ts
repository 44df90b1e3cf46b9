/**
 * Every event upcaster, in one list. A new schema version of an event type
 * adds its upcaster here; the ledger applies them when reading.
 */
import type { Upcaster } from '../../src/ledger/upcasting.js';
import { packagesInstalledV1ToV2 } from './packages-installed-v1-to-v2.js';
import { systemActivatedV1ToV2, systemProfileSetV1ToV2 } from './system-build-v1-to-v2.js';

export const eventUpcasters: readonly Upcaster[] = [packagesInstalledV1ToV2, systemProfileSetV1ToV2, systemActivatedV1ToV2];
