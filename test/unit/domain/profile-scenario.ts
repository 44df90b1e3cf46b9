/**
 * A profile's history as the decider tests state it, and the harness that
 * runs them: `given(events).when(command).then(events)`, as Emmett's
 * DeciderSpecification does. Packages and generations are small values; the
 * event builders derive each fact (patch, profile path, installed or removed
 * elements) from the generation a change starts on and the one it gives, so
 * a test names generations, not JSON patches. Everything is pure: the
 * profile path is a hash of the manifest, the clock is a value.
 */
import { createHash } from 'node:crypto';
import jsonPatch from 'fast-json-patch';
import { expect } from 'vitest';
import type { ErrorCode, ExitCode, GenledgerError } from '../../../src/errors.js';
import { ExitCode as Exit } from '../../../src/errors.js';
import type { ProfileCommand, ResolvedInstallable, ResolvedUpgrade } from '../../../src/domain/profile-commands.js';
import { decide } from '../../../src/domain/profile-decide.js';
import type { DecideContext } from '../../../src/domain/profile-decide.js';
import type { GenerationFacts, ManifestVersion, ProfileEvent } from '../../../src/domain/profile-events.js';
import { fold } from '../../../src/domain/profile-evolve.js';
import type { MetaEvent } from '../../../src/domain/profile-evolve.js';
import { emptyManifest } from '../../../src/domain/profile-manifest.js';
import type { ElementSource, ProfileElement, ProfileManifest } from '../../../src/domain/profile-manifest.js';
import { initialProfileState } from '../../../src/domain/profile-state.js';
import type { ProfileState } from '../../../src/domain/profile-state.js';
import { genledgerFailure } from './genledger-failure.js';

// fast-json-patch is CommonJS: Node's ESM loader only offers its default export.
const { compare } = jsonPatch;

export const PROFILE = 'default';
export const STORE_DIR = '/nix/store';
const CATALOG = '/srv/catalog.json';
const NIX32 = '0123456789abcdfghijklmnpqrsvwxyz';

/** 32 characters of the Nix base-32 alphabet, derived from `text`: a fake but valid-looking store path hash. */
function fakeHash(text: string): string {
  return [...createHash('sha256').update(text).digest()].map((byte) => NIX32[byte % 32]).join('');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The stub of buildenv + NAR hashing: the same manifest and version always give the same `…-profile` path. */
export function profilePathOf(manifest: ProfileManifest, version: ManifestVersion): string {
  return `${STORE_DIR}/${fakeHash(canonicalJson({ manifest, version }))}-profile`;
}

// ---------------------------------------------------------------------------
// Packages and generations

export interface Package {
  readonly element: ProfileElement;
  /** What the user typed: `CATALOG#attr`, or the store path. */
  readonly installable: string;
}

/** A package from the catalog (its source locked to the version), or with `plain`, a bare store path. */
export function pkg(name: string, version: string, options: { plain?: boolean } = {}): Package {
  const storePath = `${STORE_DIR}/${fakeHash(`${name}-${version}`)}-${name}-${version}`;
  const element = { name, active: true, priority: 5, storePaths: [storePath] };
  if (options.plain === true) return { element, installable: storePath };
  const source: ElementSource = { originalUrl: `path:${CATALOG}`, url: `path:${CATALOG}?narHash=sha256-${fakeHash(version)}`, attrPath: name };
  return { element: { ...element, source }, installable: `${CATALOG}#${name}` };
}

export const storePathOf = (p: Package): string => p.element.storePaths[0] as string;
export const named = (p: Package, name: string): Package => ({ ...p, element: { ...p.element, name } });
export const prioritised = (p: Package, priority: number): Package => ({ ...p, element: { ...p.element, priority } });

/** A generation as a test names it: its number and its packages, in manifest order. */
export interface Gen {
  readonly number: number;
  readonly packages: readonly Package[];
}

export const gen = (number: number, ...packages: Package[]): Gen => ({ number, packages });
export const emptyGen = gen(0);
export const manifestOf = (g: Gen): ProfileManifest => ({ elements: g.packages.map((p) => p.element) });

// ---------------------------------------------------------------------------
// Commands, as the app layer resolves them

const installableOf = ({ element, installable }: Package): ResolvedInstallable => {
  const { active: _, ...rest } = element;
  return { ...rest, installable };
};
const upgradeOf = ({ element }: Package): ResolvedUpgrade => ({ name: element.name, storePaths: element.storePaths, source: element.source as ElementSource });

export const install = (...packages: Package[]): ProfileCommand => ({ kind: 'install', installables: packages.map(installableOf) });
export const remove = (...matchers: string[]): ProfileCommand => ({ kind: 'remove', matchers });
export const upgrade = (...packages: Package[]): ProfileCommand => ({ kind: 'upgrade', upgrades: packages.map(upgradeOf) });
export const setPriority = (name: string, priority: number): ProfileCommand => ({ kind: 'set-priority', name, priority });
export const rollback = (to?: number): ProfileCommand => (to === undefined ? { kind: 'rollback' } : { kind: 'rollback', to });
export const switchGeneration = (to: number): ProfileCommand => ({ kind: 'switch-generation', to });
export const undo: ProfileCommand = { kind: 'undo' };
export const restore = (generation: number): ProfileCommand => ({ kind: 'restore', generation });
export const deleteGenerations = (...spec: string[]): ProfileCommand => ({ kind: 'delete-generations', spec });
export const wipeHistory = (olderThan?: string): ProfileCommand => (olderThan === undefined ? { kind: 'wipe-history' } : { kind: 'wipe-history', olderThan });

// ---------------------------------------------------------------------------
// Events, as decide records them

export interface From {
  /** The generation that was current when the change was decided (emptyGen: none). */
  readonly base: Gen;
  /** False when the highest generation already had the resulting profile path. */
  readonly created?: boolean;
  readonly manifestVersion?: ManifestVersion;
}

function facts(to: Gen, { base, created = true, manifestVersion = 2 }: From): GenerationFacts {
  return {
    generation: to.number,
    created,
    base: base.number,
    patch: compare(manifestOf(base), manifestOf(to)),
    profilePath: profilePathOf(manifestOf(to), manifestVersion),
    manifestVersion,
  };
}

const has = (g: Gen, name: string) => g.packages.some((p) => p.element.name === name);

export const profileCreated: ProfileEvent = { type: 'ProfileCreated', data: { profile: PROFILE } };

export function installed(to: Gen, from: From): ProfileEvent {
  const added = to.packages.filter((p) => !has(from.base, p.element.name));
  return { type: 'PackagesInstalled', data: { ...facts(to, from), installed: added.map(installableOf) } };
}

export function removed(to: Gen, from: From): ProfileEvent {
  const gone = from.base.packages.filter((p) => !has(to, p.element.name));
  return { type: 'PackagesRemoved', data: { ...facts(to, from), removed: gone.map((p) => p.element) } };
}

export function upgraded(to: Gen, from: From): ProfileEvent {
  const changes = to.packages.flatMap(({ element }) => {
    const before = from.base.packages.find((p) => p.element.name === element.name)?.element;
    if (before === undefined || canonicalJson(before.storePaths) === canonicalJson(element.storePaths)) return [];
    return [{ name: element.name, from: { storePaths: before.storePaths, url: before.source?.url }, to: { storePaths: element.storePaths, url: element.source?.url } }];
  });
  return { type: 'PackagesUpgraded', data: { ...facts(to, from), upgraded: changes } };
}

export function priorityChanged(to: Gen, from: From, name: string): ProfileEvent {
  const priorityIn = (g: Gen) => g.packages.find((p) => p.element.name === name)?.element.priority as number;
  return { type: 'PriorityChanged', data: { ...facts(to, from), name, from: priorityIn(from.base), to: priorityIn(to) } };
}

export function restored(to: Gen, from: From, generation: number): ProfileEvent {
  return { type: 'GenerationRestored', data: { ...facts(to, from), restored: generation } };
}

export function switched(
  from: number | null,
  to: number,
  how: 'rollback' | 'switch' | 'undo',
  options: { createsEmpty?: boolean; manifestVersion?: ManifestVersion } = {},
): ProfileEvent {
  const manifestVersion = options.manifestVersion ?? 2;
  const emptyGeneration = options.createsEmpty === true ? { emptyGeneration: { profilePath: profilePathOf(emptyManifest, manifestVersion), manifestVersion } } : {};
  return { type: 'GenerationSwitched', data: { from, to, how, ...emptyGeneration } };
}

export const generationsDeleted = (spec: string[], ...generations: number[]): ProfileEvent => ({ type: 'GenerationsDeleted', data: { generations, spec } });

export const historyWiped = (generations: number[], olderThan?: string): ProfileEvent => ({
  type: 'HistoryWiped',
  data: olderThan === undefined ? { generations } : { generations, olderThan },
});

/** Each generation installs one more package on the one before: g1 = [a], g2 = [a, b], … */
export function installsOf(...packages: Package[]): { events: ProfileEvent[]; gens: Gen[] } {
  const gens = packages.map((_, i) => gen(i + 1, ...packages.slice(0, i + 1)));
  const events = gens.map((g, i) => installed(g, { base: gens[i - 1] ?? emptyGen }));
  return { events: [profileCreated, ...events], gens };
}

// ---------------------------------------------------------------------------
// given / when / then

/** 2026-11-23T10:00:00Z: events without a date of their own are one minute apart from here. */
export const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);
const MINUTE = 60_000;
export const DAY = 86_400_000;

export interface Dated {
  readonly event: ProfileEvent;
  readonly at: string;
}

/** An event recorded at a given time (an ISO string, or milliseconds since the epoch). */
export const at = (time: number | string, event: ProfileEvent): Dated => ({ event, at: new Date(time).toISOString() });

export interface WhenOptions {
  /** The injected clock (ISO or epoch ms); by default one minute after the last given event. */
  readonly now?: number | string;
  readonly manifestVersion?: ManifestVersion;
  readonly profilePathOf?: DecideContext['profilePathOf'];
}

export interface Decision {
  /** Runs decide: the events and the state they fold to. */
  decided(): { events: ProfileEvent[]; after: ProfileState };
  /** Asserts the decided events, exactly; returns the state they fold to. */
  then(...expected: ProfileEvent[]): ProfileState;
  /** Asserts that decide refuses with this code and exit status; returns the error. */
  thenRefuses(code: ErrorCode, exitCode?: ExitCode): GenledgerError;
}

export interface Scenario {
  readonly state: ProfileState;
  /** The time of the last given event (T0 when none). */
  readonly lastAt: number;
  when(command: ProfileCommand, options?: WhenOptions): Decision;
}

export function given(...history: readonly (ProfileEvent | Dated)[]): Scenario {
  const dated = history.map((item, i) => ('event' in item ? item : at(T0 + i * MINUTE, item)));
  const state = fold(initialProfileState, dated.map(({ event, at: time }, i) => ({ event, meta: { at: time, version: i + 1 } })));
  const lastAt = dated.length === 0 ? T0 : Date.parse((dated.at(-1) as Dated).at);
  return {
    state,
    lastAt,
    when(command, options = {}) {
      const now = new Date(options.now ?? lastAt + MINUTE);
      const context: DecideContext = {
        profile: PROFILE,
        storeDir: STORE_DIR,
        nowSeconds: Math.floor(now.getTime() / 1000),
        manifestVersion: options.manifestVersion ?? 2,
        profilePathOf: options.profilePathOf ?? profilePathOf,
      };
      const decided = () => {
        const events = decide(state, command, context);
        const recorded: MetaEvent[] = events.map((event, i) => ({ event, meta: { at: now.toISOString(), version: state.version + i + 1 } }));
        return { events, after: fold(state, recorded) };
      };
      return {
        decided,
        then(...expected) {
          const { events, after } = decided();
          expect(events).toEqual(expected);
          return after;
        },
        thenRefuses(code, exitCode = Exit.refused) {
          const error = genledgerFailure(() => decide(state, command, context));
          expect({ code: error.code, exitCode: error.exitCode }).toEqual({ code, exitCode });
          return error;
        },
      };
    },
  };
}
