/**
 * Who runs this process, as the kernel says, not as the environment says.
 *
 * - The user is the process's *real* uid. Inside a user namespace
 *   (`unshare -r`, rootless containers) that uid is mapped back through
 *   `/proc/self/uid_map` to the uid outside, and the actor is marked
 *   `userNamespace: true`: being "root" in a namespace one made oneself
 *   proves nothing, so such an actor is never root for genledger's rules.
 * - `SUDO_USER` is anyone's to set. It is recorded only when the real uid
 *   is 0 outside any user namespace and an ancestor process is `sudo`.
 * - The host name is what the kernel reports for this process's UTS
 *   namespace; anyone who can make one (`unshare -u` in a user namespace)
 *   chooses it, which the README's threat model states.
 *
 * `decideActor` is pure; `readProcessFacts` is the one place that reads
 * the facts from /proc and /etc/passwd.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Actor } from '../world.js';

export interface ProcessFacts {
  /** The real uid, as the process sees it (inside its user namespace). */
  readonly realUid: number;
  /** The text of /proc/self/uid_map, or null where there is none (not Linux). */
  readonly uidMap: string | null;
  /** The text of /etc/passwd, or null when it cannot be read. */
  readonly passwd: string | null;
  /** The command names (`comm`) of the parent, grandparent, … as far as they could be read. */
  readonly ancestors: readonly string[];
  readonly sudoUser: string | undefined;
  readonly host: string;
}

/** A uid_map that maps every uid to itself: the initial user namespace. */
const IDENTITY_MAP = /^\s*0\s+0\s+4294967295\s*$/;
/** What the kernel shows for a uid that the namespace does not map. */
const OVERFLOW_UID = 65534;
/** How far up the process tree `sudo` is looked for (sudo → npm exec → sh → node). */
export const SUDO_ANCESTOR_DEPTH = 6;

export function decideActor(facts: ProcessFacts): Actor {
  const inNamespace = facts.uidMap !== null && !IDENTITY_MAP.test(facts.uidMap);
  const uid = inNamespace ? outerUid(facts.uidMap ?? '', facts.realUid) : facts.realUid;
  const user = userName(facts.passwd, uid) ?? `uid-${uid}`;
  const sudoUser =
    !inNamespace && facts.realUid === 0 && facts.sudoUser !== undefined && facts.sudoUser !== user && facts.ancestors.includes('sudo') && userName(facts.passwd, null, facts.sudoUser) !== null
      ? facts.sudoUser
      : undefined;
  return {
    user,
    uid,
    ...(sudoUser === undefined ? {} : { sudoUser }),
    host: facts.host,
    ...(inNamespace ? { userNamespace: true } : {}),
  };
}

/** The uid outside the namespace that `inner` stands for; the overflow uid when the map does not cover it. */
function outerUid(uidMap: string, inner: number): number {
  for (const line of uidMap.split('\n')) {
    const fields = line.trim().split(/\s+/).map(Number);
    const [first, lower, count] = fields;
    if (fields.length !== 3 || first === undefined || lower === undefined || count === undefined || !fields.every(Number.isSafeInteger)) continue;
    if (inner >= first && inner < first + count) return lower + (inner - first);
  }
  return OVERFLOW_UID;
}

/** The name of `uid` in passwd (or, given `name`, that name if the user exists). */
function userName(passwd: string | null, uid: number | null, name?: string): string | null {
  if (passwd === null) return null;
  for (const line of passwd.split('\n')) {
    const [entryName, , entryUid] = line.split(':');
    if (entryName === undefined || entryName === '' || entryUid === undefined) continue;
    if (name !== undefined ? entryName === name : Number(entryUid) === uid) return entryName;
  }
  return null;
}

export function readProcessFacts(env: Readonly<Record<string, string | undefined>>): ProcessFacts {
  return {
    realUid: process.getuid?.() ?? 0,
    uidMap: readOrNull('/proc/self/uid_map'),
    passwd: readOrNull('/etc/passwd'),
    ancestors: env.SUDO_USER === undefined ? [] : ancestorCommands(process.ppid),
    sudoUser: env.SUDO_USER,
    host: hostname(),
  };
}

function ancestorCommands(ppid: number): string[] {
  const names: string[] = [];
  let pid = ppid;
  for (let depth = 0; depth < SUDO_ANCESTOR_DEPTH && pid > 1; depth++) {
    const stat = readOrNull(`/proc/${pid}/stat`);
    if (stat === null) break;
    // "PID (COMM) STATE PPID …": the name may hold spaces and parentheses, so take it up to the last ')'.
    const close = stat.lastIndexOf(')');
    names.push(stat.slice(stat.indexOf('(') + 1, close));
    pid = Number(stat.slice(close + 2).split(' ')[1]);
  }
  return names;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
