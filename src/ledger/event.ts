/**
 * The event envelope and its hash. A `NewEvent` is what a caller hands the
 * ledger; a `StoredEvent` is what the ledger wrote: the envelope placed in a
 * stream (`stream`, `version`, `prev`) and sealed by `hash`, the hex sha256
 * of the canonical JSON of every field except `hash` and `sig`.
 *
 * Invariants: an envelope carries only the fields named here (an unknown
 * field would escape the hash or the schema), and `hash` is a pure function
 * of the stored fields, so any reader can re-check it.
 */
import { hash } from 'node:crypto';
import type { Actor } from '../world.js';
import { canonicalJson, canonicalJsonProblem, canonicalObject } from './canonical-json.js';
import { streamNameProblem } from './stream-name.js';

export interface NewEvent<T = unknown> {
  id: string;
  type: string;
  v: number;
  at: string;
  actor: Actor;
  command?: string[];
  reason?: string;
  data: T;
}

export interface StoredEvent<T = unknown> extends NewEvent<T> {
  stream: string;
  version: number;
  prev: string | null;
  hash: string;
  sig?: string;
}

export type UnsealedEvent<T = unknown> = Omit<StoredEvent<T>, 'hash' | 'sig'>;

const NEW_FIELDS = new Set(['id', 'type', 'v', 'at', 'actor', 'command', 'reason', 'data']);
const STORED_FIELDS = new Set([...NEW_FIELDS, 'stream', 'version', 'prev', 'hash', 'sig']);
const ACTOR_FIELDS = new Set(['user', 'uid', 'sudoUser', 'host', 'userNamespace']);
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const TYPE_NAME = /^[A-Za-z][A-Za-z0-9._-]{0,127}$/;

export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/** The hash of an event: over exactly the envelope's sealed fields (a shape check has refused any other). */
export function eventHash(event: UnsealedEvent): string {
  const { id, stream, version, type, v, at, actor, command, reason, data, prev } = event;
  return sha256Hex(canonicalJson({ id, stream, version, type, v, at, actor, command, reason, data, prev }));
}

/**
 * Seals a placed event: its hash, and the text the ledger stores for it
 * (the canonical JSON of the event with `hash` and `sig`). Each field is
 * encoded once and the object assembled twice, without and with the seal:
 * the same bytes as encoding the whole event again, at half the cost.
 */
export function sealEvent(event: UnsealedEvent, signer?: { sign(hash: string): string }): { hash: string; text: string } {
  const { id, stream, version, type, v, at, actor, command, reason, data, prev } = event;
  const fields = encodeFields({ id, stream, version, type, v, at, actor, command, reason, data, prev });
  const hash = sha256Hex(canonicalObject(fields));
  return { hash, text: canonicalObject({ ...fields, ...encodeFields({ hash, sig: signer?.sign(hash) }) }) };
}

function encodeFields(fields: Record<string, unknown>): Record<string, string | undefined> {
  const encoded: Record<string, string | undefined> = {};
  for (const [key, field] of Object.entries(fields)) encoded[key] = field === undefined ? undefined : canonicalJson(field);
  return encoded;
}

/** Places a caller's event in a stream, copying only the envelope's fields. */
export function placeEvent<T>(event: NewEvent<T>, stream: string, version: number, prev: string | null): UnsealedEvent<T> {
  return {
    id: event.id,
    stream,
    version,
    type: event.type,
    v: event.v,
    at: event.at,
    actor: event.actor,
    ...(event.command === undefined ? {} : { command: event.command }),
    ...(event.reason === undefined ? {} : { reason: event.reason }),
    data: event.data,
    prev,
  };
}

/** The caller-supplied part of a stored event, for comparing a re-append with what is stored. */
export function contentOf(event: NewEvent): string {
  return canonicalJson({
    id: event.id,
    type: event.type,
    v: event.v,
    at: event.at,
    actor: event.actor,
    command: event.command,
    reason: event.reason,
    data: event.data,
  });
}

/** Why `value` is not a well-formed new event, or null. */
export function newEventProblem(value: unknown): string | null {
  return envelopeProblem(value, NEW_FIELDS);
}

/** Why `value` is not a well-formed stored event (hash not yet checked), or null. */
export function storedEventProblem(value: unknown): string | null {
  const problem = envelopeProblem(value, STORED_FIELDS);
  if (problem !== null) return problem;
  const event = value as Record<string, unknown>;
  const streamProblem = typeof event.stream === 'string' ? streamNameProblem(event.stream) : 'is missing';
  if (streamProblem !== null) return `its stream ${streamProblem}`;
  if (!isCount(event.version)) return 'its version is not a positive integer';
  if (event.prev !== null && !(typeof event.prev === 'string' && HEX_SHA256.test(event.prev))) return 'its prev is not null or a sha256 hex digest';
  if (event.version === 1 && event.prev !== null) return 'its first version has a prev';
  if (event.version !== 1 && event.prev === null) return 'it has no prev';
  if (typeof event.hash !== 'string' || !HEX_SHA256.test(event.hash)) return 'its hash is not a sha256 hex digest';
  if (event.sig !== undefined && typeof event.sig !== 'string') return 'its sig is not a string';
  return null;
}

function envelopeProblem(value: unknown, allowed: ReadonlySet<string>): string | null {
  if (!isRecord(value)) return 'it is not an object';
  const unknown = Object.keys(value).find((key) => !allowed.has(key) && value[key] !== undefined);
  if (unknown !== undefined) return `it has an unknown field '${unknown}'`;
  if (!isText(value.id, 256)) return 'its id is not a non-empty string of printable characters';
  if (typeof value.type !== 'string' || !TYPE_NAME.test(value.type)) return 'its type is not a name like PackagesInstalled';
  if (!isCount(value.v)) return 'its schema version v is not a positive integer';
  if (!isUtcTime(value.at)) return 'its time is not ISO-8601 UTC (YYYY-MM-DDThh:mm:ss[.fff]Z)';
  const actorProblem = actorProblemOf(value.actor);
  if (actorProblem !== null) return `its actor ${actorProblem}`;
  if (value.command !== undefined && !(Array.isArray(value.command) && value.command.every((arg) => typeof arg === 'string'))) {
    return 'its command is not a list of strings';
  }
  if (value.reason !== undefined && typeof value.reason !== 'string') return 'its reason is not a string';
  if (value.data === undefined) return 'it has no data';
  const dataProblem = canonicalJsonProblem(value.data);
  if (dataProblem !== null) return `its data is not plain JSON (${dataProblem})`;
  return null;
}

function actorProblemOf(actor: unknown): string | null {
  if (!isRecord(actor)) return 'is not an object';
  const unknown = Object.keys(actor).find((key) => !ACTOR_FIELDS.has(key) && actor[key] !== undefined);
  if (unknown !== undefined) return `has an unknown field '${unknown}'`;
  if (typeof actor.user !== 'string') return 'has no user';
  if (!Number.isSafeInteger(actor.uid) || (actor.uid as number) < 0) return 'has no numeric uid';
  if (typeof actor.host !== 'string') return 'has no host';
  if (actor.sudoUser !== undefined && typeof actor.sudoUser !== 'string') return 'has a sudoUser that is not a string';
  if (actor.userNamespace !== undefined && actor.userNamespace !== true) return 'has a userNamespace that is not true';
  return null;
}

function isUtcTime(value: unknown): value is string {
  if (typeof value !== 'string' || !UTC_TIME.test(value)) return false;
  const ms = Date.parse(value);
  // Date.parse rolls 2024-02-30 over into March; only a round trip proves the calendar date exists.
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 19) === value.slice(0, 19);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 1;
}

function isText(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength && !/[\u0000-\u001f\u007f]/.test(value);
}
