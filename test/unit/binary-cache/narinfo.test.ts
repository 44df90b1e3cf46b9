import { describe, expect, it } from 'vitest';
import { Hash } from '../../../src/store/hash.js';
import { narInfoFileName, parseNarInfo, renderNarInfo } from '../../../src/store/binary-cache/narinfo.js';
import { narUrl } from '../../../src/store/binary-cache/nar-url.js';
import { StoreDir } from '../../../src/store/store-path.js';
import { NARINFO_F1, NARINFO_REF2, NARINFO_USER_ENV, NARINFO_VECTORS } from './vectors.js';

const storeDir = new StoreDir('/nix/store');
const parse = (text: string) => parseNarInfo(text, storeDir, 'test.narinfo');
const badNarInfo = (reason: string) =>
  expect.objectContaining({ code: 'GENLEDGER_BAD_NARINFO', exitCode: 1, message: expect.stringContaining(reason) });

/** NARINFO_REF2 with `line` (matched by its start) replaced, or removed when `by` is undefined. */
function edit(start: string, by?: string, text = NARINFO_REF2): string {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => line.startsWith(start));
  if (index < 0) throw new Error(`no line ${start}`);
  if (by === undefined) lines.splice(index, 1);
  else lines[index] = by;
  return lines.join('\n');
}

describe('narinfo vectors (spec 13.8)', () => {
  it.each(Object.entries(NARINFO_VECTORS))('re-renders the %s narinfo byte for byte', (_name, text) => {
    expect(renderNarInfo(parse(text))).toBe(text);
  });

  it('reads the fields as full store paths and hashes', () => {
    const info = parse(NARINFO_USER_ENV);
    expect(info.storePath).toBe('/nix/store/rc5y1f6260fd1niw8yxsj9c7j4lkq2gv-user-environment');
    expect(info.references).toEqual([
      '/nix/store/5d8mxw9k2mpbqzjj545r7h51c22yyhiw-env-manifest.nix',
      '/nix/store/l5y46b8p9il518p7jhl4nnsh86xlry98-pkgb-2.0',
      '/nix/store/vakjq8iw060mbdsy1y8x2ml3l3wx64gr-pkga-1.0',
    ]);
    expect(info.deriver).toBe('/nix/store/n0d8vid0b9054diiy9kzni9kk02my6sd-user-environment.drv');
    expect(info.ca).toBeUndefined();
    expect(info.narSize).toBe(1864);
    expect(info.fileHash?.equals(info.narHash)).toBe(true);
  });

  it('writes "References: " with its trailing space when there are none', () => {
    expect(renderNarInfo(parse(NARINFO_F1))).toContain('\nReferences: \n');
  });

  it('sorts references by base name and signatures byte-wise, whatever order it is given', () => {
    const info = parse(NARINFO_REF2);
    const shuffled = { ...info, references: [...info.references].reverse(), sigs: ['b:x', 'B:y', 'a:z'] };
    const text = renderNarInfo(shuffled);
    expect(text).toContain('References: 2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt hgl6cwhlhzpznapan2nfnls2nyyv4lqb-run.sh\n');
    expect(text).toContain('Sig: B:y\nSig: a:z\nSig: b:x\nCA: ');
  });

  it('names NAR files and narinfo files as Nix does', () => {
    const hash = Hash.parse('sha256:14ml5q1qvx7y3d0n2d1n0j2gdj4s0z54pfj6iwvgnn038ipybsgd');
    expect(narUrl(hash, 'none')).toBe('nar/14ml5q1qvx7y3d0n2d1n0j2gdj4s0z54pfj6iwvgnn038ipybsgd.nar');
    expect(narUrl(hash, 'xz')).toBe('nar/14ml5q1qvx7y3d0n2d1n0j2gdj4s0z54pfj6iwvgnn038ipybsgd.nar.xz');
    expect(narUrl(hash, 'zstd')).toBe('nar/14ml5q1qvx7y3d0n2d1n0j2gdj4s0z54pfj6iwvgnn038ipybsgd.nar.zst');
    expect(narInfoFileName(storeDir, '/nix/store/2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt')).toBe('2xr781z591fm9c9jchvf8389sr8qsszk.narinfo');
  });
});

describe('the 2.8 reader rules', () => {
  it('takes a missing Compression as bzip2', () => {
    expect(parse(edit('Compression:')).compression).toBe('bzip2');
  });

  it('takes "Deriver: unknown-deriver" as no deriver', () => {
    expect(parse(edit('Deriver:', 'Deriver: unknown-deriver', NARINFO_USER_ENV)).deriver).toBeUndefined();
  });

  it('ignores fields it does not know, and keeps System', () => {
    const info = parse(`${NARINFO_REF2}Future: whatever\nSystem: x86_64-linux\n`);
    expect(info.system).toBe('x86_64-linux');
    expect(renderNarInfo(info)).toBe(edit('Sig:', `System: x86_64-linux\n${NARINFO_REF2.split('\n')[8]}`));
  });

  it('accepts a narinfo without FileHash and FileSize (as current Nix writes it)', () => {
    const info = parse(edit('FileSize:', undefined, edit('FileHash:')));
    expect(info.fileHash).toBeUndefined();
    expect(info.fileSize).toBeUndefined();
  });

  it('collects repeated Sig lines', () => {
    expect(parse(`${NARINFO_REF2}Sig: other:abc\n`).sigs).toHaveLength(2);
  });

  it.each([
    ['StorePath:', 'StorePath missing'],
    ['NarHash:', 'NarHash missing'],
    ['URL:', 'URL missing'],
    ['NarSize:', 'NarSize missing or zero'],
  ])('refuses a narinfo without %s', (field, reason) => {
    expect(() => parse(edit(field))).toThrow(badNarInfo(reason));
  });

  it.each([
    ['a zero NarSize', edit('NarSize:', 'NarSize: 0'), 'NarSize missing or zero'],
    ['an empty URL', edit('URL:', 'URL: '), 'URL missing'],
    ['repeated References', `${NARINFO_REF2}References: \n`, 'extra References'],
    ['a repeated CA', `${NARINFO_REF2}CA: ${NARINFO_REF2.split('CA: ')[1]}`, 'extra CA'],
    ['a repeated StorePath', `${NARINFO_REF2}StorePath: /nix/store/2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt\n`, 'extra StorePath'],
    ['a line without a colon', `${NARINFO_REF2}garbage\n`, "expecting 'Name: value'"],
    ['a missing final newline', NARINFO_REF2.slice(0, -1), 'does not end'],
    ['an empty file', '', 'StorePath missing'],
  ])('refuses %s', (_what, text, reason) => {
    expect(() => parse(text)).toThrow(badNarInfo(reason));
  });
});

describe('the checks that keep a cache from reaching outside itself', () => {
  it.each([
    ['an absolute path URL', 'URL: /etc/passwd'],
    ['a URL climbing out with ..', 'URL: nar/../../etc/passwd'],
    ['a URL that is only ..', 'URL: ..'],
    ['a URL with another scheme', 'URL: https://evil.example/nar/x.nar'],
    ['a URL with an empty component', 'URL: nar//x.nar'],
    ['a URL with a control character', 'URL: nar/x\r.nar'],
  ])('refuses %s', (_what, line) => {
    expect(() => parse(edit('URL:', line))).toThrow(badNarInfo('URL'));
  });

  it.each([
    ['a StorePath outside the store dir', 'StorePath: /tmp/store/pldvghqwd8bk4gnyvxy7p0jqqi4b8zsp-ref2.txt'],
    ['a StorePath below a store path', 'StorePath: /nix/store/pldvghqwd8bk4gnyvxy7p0jqqi4b8zsp-ref2.txt/etc'],
    ['a StorePath with a bad hash part', 'StorePath: /nix/store/pldvghqwd8bk4gnyvxy7p0jqqi4b8zsp!ref2.txt'],
  ])('refuses %s', (_what, line) => {
    expect(() => parse(edit('StorePath:', line))).toThrow(badNarInfo('StorePath'));
  });

  it.each([
    ['a path instead of a base name', 'References: /nix/store/2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt'],
    ['a climbing base name', 'References: ../../etc'],
    ['a name with a slash', 'References: 2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt/../x'],
    ['a hash part of the wrong length', 'References: 2xr781z591-hello.txt'],
  ])('refuses References with %s', (_what, line) => {
    expect(() => parse(edit('References:', line))).toThrow(badNarInfo('References'));
  });

  it('refuses a Deriver that is not a store path base name', () => {
    expect(() => parse(edit('Deriver:', 'Deriver: ../x.drv', NARINFO_USER_ENV))).toThrow(badNarInfo('Deriver'));
  });

  it.each([
    ['a huge NarSize', 'NarSize: 99999999999999999999'],
    ['a negative NarSize', 'NarSize: -1'],
    ['a fractional NarSize', 'NarSize: 1.5'],
    ['a NarSize in hex', 'NarSize: 0x10'],
  ])('refuses %s', (_what, line) => {
    expect(() => parse(edit('NarSize:', line))).toThrow(badNarInfo('NarSize'));
  });

  it('refuses a huge FileSize', () => {
    expect(() => parse(edit('FileSize:', 'FileSize: 18446744073709551615'))).toThrow(badNarInfo('FileSize'));
  });

  it.each([
    ['a NarHash that is not a hash', 'NarHash: sha256:xyz', 'NarHash'],
    ['a NarHash that is not sha256', 'NarHash: sha1:0000000000000000000000000000000000000000', 'not sha256'],
  ])('refuses %s', (_what, line, reason) => {
    expect(() => parse(edit('NarHash:', line))).toThrow(badNarInfo(reason));
  });

  it('refuses a CA that is not a content address', () => {
    expect(() => parse(edit('CA:', 'CA: magic:1234'))).toThrow(badNarInfo('CA'));
  });
});
