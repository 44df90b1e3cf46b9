// genledger-only: replay's fold without the file-system work. Each profile
// stream of the 100,000-event log is read (every event's hash and chain
// checked) and folded into its state, as replay does before it plans any
// link. The figure is the fold (the reading is the read-log case's); the
// samples record both.
import { join } from 'node:path';
import { LOG_EVENTS_PER_PROFILE, LOG_PROFILES } from '../fixtures/index.mjs';
import { library, openLedger } from '../lib/ledger-api.mjs';

const LOG_EVENTS = LOG_PROFILES * LOG_EVENTS_PER_PROFILE;
const RUNS = 3;

const msSince = (start) => Number(process.hrtime.bigint() - start) / 1e6;

export const replayFoldCases = [
  {
    id: 'replay-fold',
    title: `replay's fold, no file-system work, no reading: fold ${LOG_PROFILES} profile streams, ${LOG_EVENTS.toLocaleString('en')} events (library; target ≥ 100,000 events/s)`,
    async measure(fixtures) {
      const { saved } = await fixtures.glEventLog();
      const { foldProfile, listProfileStreams } = await library();
      const { database, ledger } = await openLedger(join(saved, 'home', 'db'));
      const samples = [];
      try {
        for (let run = 0; run < RUNS; run++) {
          let readMs = 0;
          let foldMs = 0;
          let events = 0;
          for (const stream of await listProfileStreams(ledger)) {
            const reading = process.hrtime.bigint();
            const stored = await ledger.readStream(stream);
            readMs += msSince(reading);
            const folding = process.hrtime.bigint();
            const state = foldProfile(stored);
            foldMs += msSince(folding);
            if (state.version !== LOG_EVENTS_PER_PROFILE) throw new Error(`bench: ${stream} folded to version ${state.version}, not ${LOG_EVENTS_PER_PROFILE}`);
            events += stored.length;
          }
          if (events !== LOG_EVENTS) throw new Error(`bench: folded ${events} events, expected ${LOG_EVENTS}`);
          samples.push({ wallMs: foldMs, cpuMs: null, events, readMs, foldMs });
        }
      } finally {
        await database.close();
      }
      return samples;
    },
  },
];
