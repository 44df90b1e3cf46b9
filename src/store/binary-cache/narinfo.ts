/**
 * `.narinfo` files (spec 11.3): what a binary cache says about one store
 * path. `renderNarInfo` writes the exact bytes of Nix 2.8's writer (fixed
 * field order, `References: ` even when empty, signatures sorted).
 * `parseNarInfo` follows 2.8's reader (`Name: value` lines, repeated
 * References/CA corrupt, `unknown-deriver` = none, Compression defaults to
 * bzip2, StorePath/NarHash/URL/non-zero NarSize mandatory) and is stricter
 * where the file could hurt us: every path must belong to our store
 * directory, the URL must stay inside the cache, sizes must be exact safe
 * integers, and no single-valued field may repeat.
 *
 * A `NarInfo` holds full store paths (references, deriver), as `PathInfo`
 * does; the file holds base names.
 */
import { refused } from '../../errors.js';
import type { GenledgerError } from '../../errors.js';
import { parseContentAddress, renderContentAddress } from '../content-address.js';
import { Hash } from '../hash.js';
import type { StoreDir } from '../store-path.js';
import { narUrlProblem } from './nar-url.js';

export interface NarInfo {
  readonly storePath: string;
  readonly url: string;
  readonly compression: string;
  readonly fileHash?: Hash;
  readonly fileSize?: number;
  readonly narHash: Hash;
  readonly narSize: number;
  /** Full store paths, sorted. */
  readonly references: readonly string[];
  /** Full store path of the `.drv`. */
  readonly deriver?: string;
  readonly system?: string;
  /** `<keyname>:<base64>`, sorted. */
  readonly sigs: readonly string[];
  readonly ca?: string;
}

/** The 2.8 writer always has FileHash and FileSize; like current Nix, leaves them out when unknown. */
export function renderNarInfo(info: NarInfo): string {
  const lines = [
    `StorePath: ${info.storePath}`,
    `URL: ${info.url}`,
    `Compression: ${info.compression}`,
    ...(info.fileHash === undefined ? [] : [`FileHash: ${info.fileHash.toTyped('nix32')}`]),
    ...(info.fileSize === undefined ? [] : [`FileSize: ${info.fileSize}`]),
    `NarHash: ${info.narHash.toTyped('nix32')}`,
    `NarSize: ${info.narSize}`,
    `References: ${sortBytewise(info.references.map(baseName)).join(' ')}`,
    ...(info.deriver === undefined ? [] : [`Deriver: ${baseName(info.deriver)}`]),
    ...(info.system === undefined ? [] : [`System: ${info.system}`]),
    ...sortBytewise(info.sigs).map((sig) => `Sig: ${sig}`),
    ...(info.ca === undefined ? [] : [`CA: ${info.ca}`]),
  ];
  return `${lines.join('\n')}\n`;
}

const SINGLE_VALUED = new Set(['StorePath', 'URL', 'Compression', 'FileHash', 'FileSize', 'NarHash', 'NarSize', 'References', 'Deriver', 'System', 'CA']);

/** Parses a narinfo read from `whence` (named in messages) for a client whose store is `storeDir`. */
export function parseNarInfo(text: string, storeDir: StoreDir, whence: string): NarInfo {
  const corrupt = (reason: string, line?: number): GenledgerError =>
    refused(
      'GENLEDGER_BAD_NARINFO',
      `narinfo ${whence} is corrupt: ${reason}${line === undefined ? '' : ` (line ${line})`}`,
      'the binary cache is damaged or untrustworthy; repair it or stop using it as a substituter',
    );
  if (text !== '' && !text.endsWith('\n')) throw corrupt("the last line does not end with '\\n'");
  const fields = new Map<string, string>();
  const sigs = new Set<string>();
  text
    .split('\n')
    .slice(0, -1)
    .forEach((line, index) => {
      const colon = line.indexOf(':');
      if (colon < 0 || line[colon + 1] !== ' ') throw corrupt("expecting 'Name: value'", index + 1);
      const name = line.slice(0, colon);
      const value = line.slice(colon + 2);
      if (name === 'Sig') sigs.add(value);
      else if (SINGLE_VALUED.has(name) && fields.has(name)) throw corrupt(`extra ${name}`, index + 1);
      else fields.set(name, value);
    });

  const storePathText = fields.get('StorePath');
  const narHashText = fields.get('NarHash');
  const url = fields.get('URL') ?? '';
  const narSize = fields.has('NarSize') ? size(fields.get('NarSize') ?? '', 'NarSize') : 0;
  if (storePathText === undefined) throw corrupt('StorePath missing');
  if (narHashText === undefined) throw corrupt('NarHash missing');
  if (url === '') throw corrupt('URL missing');
  if (narSize === 0) throw corrupt('NarSize missing or zero');

  const urlProblem = narUrlProblem(url);
  if (urlProblem !== undefined) throw corrupt(urlProblem);
  const narHash = hash(narHashText, 'NarHash');
  if (narHash.algo !== 'sha256') throw corrupt(`NarHash is ${narHash.algo}, not sha256`);
  const fileHashText = fields.get('FileHash');
  const fileSizeText = fields.get('FileSize');
  const deriverText = fields.get('Deriver');
  const system = fields.get('System');
  const caText = fields.get('CA') ?? '';
  return {
    storePath: storePath(storePathText, 'StorePath'),
    url,
    compression: fields.get('Compression') || 'bzip2',
    ...(fileHashText === undefined ? {} : { fileHash: hash(fileHashText, 'FileHash') }),
    ...(fileSizeText === undefined ? {} : { fileSize: size(fileSizeText, 'FileSize') }),
    narHash,
    narSize,
    references: sortBytewise(
      [...new Set((fields.get('References') ?? '').split(' ').filter((ref) => ref !== ''))].map((ref) =>
        storePath(`${storeDir.path}/${ref}`, 'References'),
      ),
    ),
    ...(deriverText === undefined || deriverText === 'unknown-deriver' ? {} : { deriver: storePath(`${storeDir.path}/${deriverText}`, 'Deriver') }),
    ...(system === undefined ? {} : { system }),
    sigs: sortBytewise([...sigs]),
    ...(caText === '' ? {} : { ca: contentAddress(caText) }),
  };

  function storePath(path: string, field: string): string {
    if (!storeDir.isStorePath(path)) throw corrupt(`${field} names '${path}', which is not a store path in ${storeDir.path}`);
    return path;
  }

  function hash(value: string, field: string): Hash {
    try {
      return Hash.parse(value);
    } catch {
      throw corrupt(`${field} '${value}' is not a valid hash`);
    }
  }

  function size(value: string, field: string): number {
    const number = Number(value);
    if (!/^\d{1,16}$/.test(value) || !Number.isSafeInteger(number)) throw corrupt(`${field} '${value}' is not a sane size`);
    return number;
  }

  function contentAddress(value: string): string {
    try {
      return renderContentAddress(parseContentAddress(value));
    } catch {
      throw corrupt(`CA '${value}' is not a valid content address`);
    }
  }
}

/** The narinfo file of a store path: `<hash part>.narinfo` at the top of the cache. */
export function narInfoFileName(storeDir: StoreDir, storePath: string): string {
  return `${storeDir.parseStorePath(storePath).hashPart}.narinfo`;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Nix keeps these in `std::set<std::string>`, i.e. byte order. */
function sortBytewise(items: Iterable<string>): string[] {
  return [...items].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}
