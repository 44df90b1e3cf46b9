/**
 * Replaying `switch-profile`: the `~/.nix-profile` link of each user who
 * switched it, as the last ProfileSwitched event (up to the replay's point
 * of the log) left it. A link no event names is never touched: Nix made
 * it, or the user did. Only the live home's replay does this; `replay
 * --into DIR` builds a copy of the home and leaves the user's home alone.
 */
import { switchLink } from '../../fsx/atomic-link.js';
import type { FsOp } from '../../projection/fs-op.js';
import { profileSwitchStream } from '../session/bookkeeping-streams.js';
import type { Session } from '../session/session-context.js';
import { readNixProfileLink } from './nix-profile-link.js';
import type { LogPoint } from './profile-queries.js';
import type { ProfileSwitched } from './switch-profile.js';

export async function replayProfileSwitches(session: Session, options: { readonly at?: LogPoint; readonly dryRun: boolean }): Promise<FsOp[]> {
  const last = new Map<string, { data: ProfileSwitched; at: string }>();
  for (const event of await switchEvents(session, options.at)) {
    if (event.type !== 'ProfileSwitched') continue;
    const data = event.data as ProfileSwitched;
    last.set(data.link, { data, at: event.at });
  }
  const ops: FsOp[] = [];
  for (const { data, at } of last.values()) {
    const found = readNixProfileLink(data.link);
    if (found.kind === 'symlink' && found.target === data.target) continue;
    if (found.kind === 'other') continue;
    const op: FsOp = { op: 'switch', path: data.link, target: data.target, mtime: Math.floor(Date.parse(at) / 1000) };
    ops.push(op);
    if (!options.dryRun) switchLink(op.path, op.target, op.mtime, session.faults);
  }
  return ops;
}

async function switchEvents(session: Session, at: LogPoint | undefined) {
  if (at === undefined) return session.ledger.readStream(profileSwitchStream);
  const events = [];
  const options = 'seq' in at ? { untilSeq: at.seq } : { until: at.time };
  for await (const record of session.ledger.readLog(options)) if (record.event.stream === profileSwitchStream) events.push(record.event);
  return events;
}
