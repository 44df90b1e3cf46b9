/**
 * The content addresses of the paths an import will fetch, checked before
 * the first path enters the store. A narinfo's `CA` must imply the path it
 * describes (name, references and hash give exactly that path) and, for a
 * NAR sha256 address, be the NarHash the NAR was checked against; the
 * substituter checks the other kinds against the bytes again as it writes.
 *
 * A narinfo without `CA` is an input-addressed claim, which an unsigned
 * cache could use to swap the contents of a content-addressed path. So it
 * is refused for a path known to be content-addressed: the profile paths
 * genledger's own commands built (their events say so), the store paths of
 * catalog packages (added from the catalog's directories), and paths named
 * `source` (what fetchers name their fixed outputs) — unless the path is,
 * after all, the NAR sha256 address of its NarHash.
 */
import { hasGenerationFacts, profileEventVersions } from '../../domain/profile-events.js';
import type { ProfileEvent } from '../../domain/profile-events.js';
import { integrityError } from '../../errors.js';
import type { StoredEvent } from '../../ledger/event.js';
import { caImpliesPath } from '../../store/binary-cache/path-trust.js';
import { contentAddressedPath, parseContentAddress } from '../../store/content-address.js';
import type { Hash } from '../../store/hash.js';
import type { StoreDir } from '../../store/store-path.js';
import type { StorePlan } from './bundle-store-plan.js';

const HINT = 'the binary cache is damaged or was tampered with; nothing was imported';

/** The store paths that `events` show to be content-addressed. */
export function contentAddressedPathsOf(events: readonly StoredEvent[]): Set<string> {
  const paths = new Set<string>();
  for (const stored of events) {
    if (!Object.hasOwn(profileEventVersions, stored.type)) continue;
    const event = stored as unknown as ProfileEvent;
    if (event.type === 'GenerationImported') continue;
    if (hasGenerationFacts(event)) paths.add(event.data.profilePath);
    if (event.type === 'GenerationSwitched' && event.data.emptyGeneration !== undefined) paths.add(event.data.emptyGeneration.profilePath);
    if (event.type === 'PackagesInstalled') {
      for (const element of event.data.installed) if (element.source !== undefined) for (const path of element.storePaths) paths.add(path);
    }
  }
  return paths;
}

export function checkContentAddresses(plan: StorePlan, storeDir: StoreDir, knownContentAddressed: ReadonlySet<string>): void {
  for (const { cache, info } of plan.steps) {
    const whence = `'${info.storePath}' in ${cache.url}`;
    if (info.ca !== undefined) {
      if (!caImpliesPath(storeDir, info)) throw integrityError('GENLEDGER_SUBSTITUTE_FAILED', `the content address ${info.ca} of ${whence} does not give that path`, HINT);
      const ca = parseContentAddress(info.ca);
      if (ca.method === 'recursive' && ca.hash.algo === 'sha256' && !ca.hash.equals(info.narHash)) {
        throw integrityError('GENLEDGER_SUBSTITUTE_FAILED', `the contents of ${whence} do not match its content address ${info.ca}`, HINT);
      }
      continue;
    }
    const { name } = storeDir.parseStorePath(info.storePath);
    const known = knownContentAddressed.has(info.storePath) || name === 'source' || name.endsWith('-source');
    if (known && !isNarAddressOf(storeDir, info.storePath, name, info.narHash, info.references)) {
      throw integrityError(
        'GENLEDGER_SUBSTITUTE_FAILED',
        `the narinfo of ${whence} has no CA line, but the path is content-addressed and its contents do not give its address`,
        HINT,
      );
    }
  }
}

function isNarAddressOf(storeDir: StoreDir, path: string, name: string, narHash: Hash, references: readonly string[]): boolean {
  if (narHash.algo !== 'sha256') return false;
  const others = references.filter((reference) => reference !== path);
  return contentAddressedPath(storeDir, { method: 'recursive', hash: narHash }, name, others, others.length !== references.length) === path;
}
