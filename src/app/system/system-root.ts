/**
 * Which root the system profile lives on. A simulated root is the state
 * home itself (profiles/system, run/, boot/ written by genledger, as the
 * tests and machines without NixOS use it). A real root is a machine's
 * `/` (the default with --store nix) or the directory `--root DIR` names:
 * the profile is DIR/nix/var/nix/profiles/system as nix-env leaves it, and
 * run/ and the boot loader belong to the activation, not to genledger.
 * The first system command that changes something records the root in the
 * home's config, so catch-up, verify and replay project onto the same one
 * later; a different --root afterwards is refused.
 */
import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { refused } from '../../errors.js';
import type { Session } from '../session/session-context.js';

export type SystemRoot = { readonly kind: 'simulated' } | { readonly kind: 'real'; readonly dir: string };

export const simulatedRoot: SystemRoot = { kind: 'simulated' };

const configKey = 'system-root';

type RootSession = Pick<Session, 'database' | 'store'>;

/** The root recorded by an earlier command; simulated when none was (homes from before real roots). */
export async function recordedSystemRoot(session: Pick<Session, 'database'>): Promise<SystemRoot> {
  return (await readRecorded(session)) ?? simulatedRoot;
}

/**
 * The root a command works on: the recorded one, else `--root`, else `/`
 * on a Nix store and the simulated root otherwise. `record` (false for dry
 * runs) writes a root not recorded yet.
 */
export async function resolveSystemRoot(session: RootSession & Pick<Session, 'world'>, given: string | undefined, record: boolean): Promise<SystemRoot> {
  const recorded = await readRecorded(session);
  const wanted: SystemRoot | null = given === undefined ? null : { kind: 'real', dir: resolve(session.world.cwd, given) };
  if (recorded !== null) {
    if (wanted !== null && !sameRoot(wanted, recorded)) {
      throw refused('GENLEDGER_SYSTEM_ROOT_MISMATCH', `this home manages the system profile on ${describeRoot(recorded)}, not ${describeRoot(wanted)}`, 'drop --root, or use another --home');
    }
    return recorded;
  }
  const root = wanted ?? (session.store.kind === 'nix' ? { kind: 'real', dir: '/' } : simulatedRoot);
  if (record) await config(session).put(configKey, JSON.stringify(root));
  return root;
}

function describeRoot(root: SystemRoot): string {
  return root.kind === 'simulated' ? 'the simulated root inside the home' : `the root ${root.dir}`;
}

/** DIR/nix/var/nix/profiles: where nix-env -p DIR/nix/var/nix/profiles/system keeps the links. */
export function profilesDirOf(dir: string): string {
  return join(dir, 'nix', 'var', 'nix', 'profiles');
}

/** True when Nix's collector scans this root's profiles itself: they are the store's own state directory's. */
export function isStoreOwnRoot(dir: string, nixStateDir: string): boolean {
  return realOrSelf(profilesDirOf(dir)) === realOrSelf(join(nixStateDir, 'profiles'));
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function sameRoot(a: SystemRoot, b: SystemRoot): boolean {
  if (a.kind === 'simulated' || b.kind === 'simulated') return a.kind === b.kind;
  return realOrSelf(a.dir) === realOrSelf(b.dir);
}

async function readRecorded(session: Pick<Session, 'database'>): Promise<SystemRoot | null> {
  const text = await config(session).get(configKey);
  return text === undefined ? null : (JSON.parse(text) as SystemRoot);
}

function config(session: Pick<Session, 'database'>) {
  return session.database.db.sublevel<string, string>('config', { valueEncoding: 'utf8' });
}
