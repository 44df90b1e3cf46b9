/**
 * Bringing one store path in from a binary cache, in the store's crash-safe
 * order: fetch the NAR into a temporary file inside the physical store dir
 * (hashing it on the way), check NarHash/NarSize and the content address,
 * restore it under a second temporary name, rename that into place, and
 * only then register the path. Whatever fails, both temporary entries are
 * removed and nothing is registered; the error names the path and cache.
 * A Nix store gets the checked NAR through Nix (with the narinfo's
 * signatures, which Nix checks against its own trusted keys).
 */
import { createWriteStream, mkdirSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { integrityError, isGenledgerError } from '../../errors.js';
import { parseContentAddress } from '../content-address.js';
import { Hash } from '../hash.js';
import type { Store } from '../store.js';
import type { NarDigest } from '../nar-digest.js';
import { restoreNar } from '../nar-restore.js';
import type { PathInfo } from '../path-info.js';
import { removeTree } from '../remove-tree.js';
import { tempName } from '../temp-name.js';
import { contentMatchesAddress } from './ca-content.js';
import type { BinaryCache } from './cache-reader.js';
import { fileChunks } from './file-chunks.js';
import type { NarInfo } from './narinfo.js';
import { caImpliesPath } from './path-trust.js';
import { moveIntoStore } from '../temp-roots.js';

const HINT = 'the binary cache is damaged or was tampered with; nothing was added for this path';

export async function substitutePath(store: Store, cache: BinaryCache, info: NarInfo, options: { pid: number; now: Date }): Promise<PathInfo> {
  const { location } = store;
  const whence = `'${info.storePath}' from ${cache.url}`;
  // A Nix store's directory is Nix's to write: the NAR is checked in a scratch directory, then handed to Nix.
  const scratch = store.kind === 'embedded' ? location.physicalDir : mkdtempSync(join(tmpdir(), 'genledger-substitute-'));
  mkdirSync(scratch, { recursive: true });
  const narFile = join(scratch, tempName(options.pid));
  const tree = join(scratch, tempName(options.pid));
  try {
    const fetched = await fetchNar(cache, info, narFile);
    if (!sameDigest(fetched, info)) {
      throw integrityError(
        'GENLEDGER_NAR_HASH_MISMATCH',
        `NAR of ${whence} has hash ${fetched.narHash.toTyped('nix32')} (${fetched.narSize} bytes), but its narinfo says ${info.narHash.toTyped('nix32')} (${info.narSize} bytes)`,
        HINT,
      );
    }
    // A CA binds the name and references to the contents; a narinfo whose CA does not give its path (say, a dropped References line) lies about one of them.
    if (info.ca !== undefined && !caImpliesPath(location.storeDir, info)) {
      throw integrityError('GENLEDGER_SUBSTITUTE_FAILED', `cannot substitute ${whence}: its content address ${info.ca} with its references does not give its store path`, HINT);
    }
    const restored = restore(narFile, tree, whence);
    if (!sameDigest(restored, info)) throw integrityError('GENLEDGER_NAR_HASH_MISMATCH', `NAR of ${whence} changed while it was being restored`, HINT);
    if (info.ca !== undefined && !contentMatchesAddress(parseContentAddress(info.ca), narFile, info.narHash, tree)) {
      throw integrityError('GENLEDGER_SUBSTITUTE_FAILED', `cannot substitute ${whence}: its contents do not match its content address ${info.ca}`, HINT);
    }
    if (store.kind === 'nix') {
      return await store.addNar(fileChunks(narFile), { path: info.storePath, narHash: info.narHash, narSize: info.narSize, references: info.references, signatures: info.sigs, ...(info.ca === undefined ? {} : { ca: info.ca }), ...(info.deriver === undefined ? {} : { deriver: info.deriver }) }, options);
    }
    // An entry without a registration is junk (say, from a crash); a valid path is never substituted.
    moveIntoStore(location, options.pid, tree, info.storePath);
  } finally {
    removeTree(narFile);
    removeTree(tree);
    if (scratch !== location.physicalDir) removeTree(scratch);
  }
  const pathInfo: PathInfo = {
    path: info.storePath,
    narHash: info.narHash,
    narSize: info.narSize,
    references: info.references,
    ca: info.ca ?? null,
    registrationTime: Math.floor(options.now.getTime() / 1000),
    ...(info.deriver === undefined ? {} : { deriver: info.deriver }),
  };
  await store.register(pathInfo);
  return pathInfo;
}

async function fetchNar(cache: BinaryCache, info: NarInfo, destination: string): Promise<NarDigest> {
  const hash = Hash.incremental('sha256');
  let narSize = 0;
  await pipeline(
    cache.narStream(info),
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        hash.update(chunk);
        narSize += chunk.length;
        yield chunk;
      }
    },
    // Opened here, not by the stream, so the file exists before any failure's clean-up runs.
    createWriteStream(destination, { fd: openSync(destination, 'wx', 0o600) }),
  );
  return { narHash: hash.digest(), narSize };
}

function restore(narFile: string, tree: string, whence: string): NarDigest {
  try {
    return restoreNar(fileChunks(narFile), tree);
  } catch (error) {
    if (isGenledgerError(error) && error.code === 'GENLEDGER_NAR_INVALID') {
      throw integrityError('GENLEDGER_SUBSTITUTE_FAILED', `cannot substitute ${whence}: ${error.message}`, HINT);
    }
    throw error;
  }
}

function sameDigest(digest: NarDigest, info: NarInfo): boolean {
  return digest.narHash.equals(info.narHash) && digest.narSize === info.narSize;
}
