/**
 * `genledger quarantine add STREAM [--from-version N]`: setting aside the invalid suffix of a profile stream (events an
 * older genledger accepted that break the domain's rules, or from any
 * version the user names) so the rest of the home works again.
 *
 * Quarantined events are kept, never deleted: each is copied, verbatim,
 * into the `quarantine` sublevel with the rule it broke, when and by whom
 * it was quarantined. The stream and the global log are not touched, so
 * both hash chains and every signature still verify exactly as before.
 * What changes is how the events are read: every upcasting read of the
 * ledger (folds, replay, log, verify's projection check) sees a
 * quarantined event as an `EventQuarantined` stand-in of the same version
 * and hash, which every fold skips. The stream keeps its versions, so the
 * next command appends after them. After recording, the home is replayed
 * with the new mask, so the disk matches the shortened history.
 */
import { profileStreamRuleBreak } from '../../domain/profile-stream-rules.js';
import type { ProfileEvent } from '../../domain/profile-events.js';
import { refused, usageError } from '../../errors.js';
import { fixedWidth } from '../../ledger/ledger-keys.js';
import { createLevelLedger } from '../../ledger/level-ledger.js';
import { writeCheckpoint } from '../session/checkpoint.js';
import { quarantineMask, quarantineSpace } from './quarantine-store.js';
import type { QuarantinedEvent } from './quarantine-store.js';
import { listProfileStreams } from '../profile/profile-streams.js';
import type { Session } from '../session/session-context.js';

export interface QuarantineResult {
  readonly stream: string;
  readonly quarantined: readonly QuarantinedEvent[];
}

export async function quarantineStream(session: Session, stream: string, fromVersion: number | undefined): Promise<QuarantineResult> {
  if (!(await listProfileStreams(session.ledger)).includes(stream)) {
    throw refused('GENLEDGER_UNKNOWN_PROFILE', `no profile stream '${stream}' in the ledger`, "see 'genledger profiles'");
  }
  const events = await session.ledger.readStream(stream);
  const head = events.length;
  let from: number;
  let rule: string;
  if (fromVersion === undefined) {
    const ruleBreak = profileStreamRuleBreak(
      events.map((event) => ({ event: event as unknown as ProfileEvent, meta: { at: event.at, version: event.version } })),
      (path) => session.store.storeDir.isStorePath(path),
    );
    if (ruleBreak === null) throw refused('GENLEDGER_NOTHING_TO_QUARANTINE', `every event of '${stream}' keeps the domain's rules`, 'name a version with --from-version N to set events aside anyway');
    ({ version: from, rule } = ruleBreak);
  } else {
    if (!Number.isSafeInteger(fromVersion) || fromVersion < 1 || fromVersion > head) {
      throw usageError('GENLEDGER_BAD_OPTION', `--from-version must be a version of '${stream}' (1 to ${head})`);
    }
    from = fromVersion;
    rule = 'set aside by hand';
  }
  const raw = await session.ledger.readStream(stream, from, { upcast: false });
  const at = session.world.now().toISOString();
  const by = `${session.world.actor.user}@${session.world.actor.host}`;
  const quarantined = raw
    .filter((event) => events[event.version - 1]?.type !== 'EventQuarantined')
    .map((event): QuarantinedEvent => ({ stream, version: event.version, type: event.type, hash: event.hash, rule: event.version === from ? rule : `follows quarantined event ${from}`, quarantinedAt: at, by, event }));
  await quarantineSpace(session.database).batch(quarantined.map((entry) => ({ type: 'put' as const, key: `${stream}!${fixedWidth(entry.version)}`, value: JSON.stringify(entry) })));
  await reproject(session);
  return { stream, quarantined };
}

/** Replays the home as every later command will read it, with the new quarantine masked. */
async function reproject(session: Session): Promise<void> {
  const mask = await quarantineMask(session.database);
  const ledger = createLevelLedger(session.database.db, mask === undefined ? {} : { mask });
  const { replay } = await import('../session/replay.js');
  await replay({ ...session, ledger }, { dryRun: false });
  await writeCheckpoint(session.database, await ledger.lastSeq());
}
