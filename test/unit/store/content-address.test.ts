import { describe, expect, it } from 'vitest';
import {
  contentAddressedPath,
  parseContentAddress,
  renderContentAddress,
} from '../../../src/store/content-address.js';
import { Hash } from '../../../src/store/hash.js';
import { StoreDir } from '../../../src/store/store-path.js';

const store = new StoreDir('/nix/store');
const HELLO = '/nix/store/2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt';
const RUN_SH = '/nix/store/hgl6cwhlhzpznapan2nfnls2nyyv4lqb-run.sh';
const PKGA = '/nix/store/vakjq8iw060mbdsy1y8x2ml3l3wx64gr-pkga-1.0';
const PKGB = '/nix/store/l5y46b8p9il518p7jhl4nnsh86xlry98-pkgb-2.0';

/** `ca` strings recorded by Nix 2.8 (spec 13.2, 13.3, 13.5) and the paths they imply. */
const VECTORS = [
  ['fixed:r:sha256:14ml5q1qvx7y3d0n2d1n0j2gdj4s0z54pfj6iwvgnn038ipybsgd', 'hello.txt', [], HELLO],
  ['fixed:sha256:1n7ljx9m2klahrg3967sp9dfxkyvdrb75dbshqmqxccy6siciv69', 'hello.txt', [], '/nix/store/074js36zvzgjcc64qgnl216rlvpy7q65-hello.txt'],
  ['text:sha256:0p8hsczakx3y4kgs5vjkg6vp4dqc63364fxw1d6f4skrl3vnfr47', 'ref2.txt', [RUN_SH, HELLO], '/nix/store/pldvghqwd8bk4gnyvxy7p0jqqi4b8zsp-ref2.txt'],
  ['fixed:r:sha256:1240217g0cnfgrzpwq71rxbi3kmc26q6sls1qalb6min1rmq1m8q', 'profile', [PKGA, PKGB], '/nix/store/szb20r8nz15vbncgwf5ma0dzdsxaaigv-profile'],
] as const;

describe('content addresses', () => {
  it.each(VECTORS)('round-trips %s and derives its store path', (text, name, references, path) => {
    const ca = parseContentAddress(text);
    expect(renderContentAddress(ca)).toBe(text);
    expect(contentAddressedPath(store, ca, name, references)).toBe(path);
  });

  it('renders flat addresses of other algorithms and their output:out paths', () => {
    const ca = { method: 'flat', hash: Hash.parse('sha1:71b8c8a66a3c28f093e03a20d8671cbb2505654b') } as const;
    expect(renderContentAddress(ca)).toBe(`fixed:sha1:${ca.hash.toNix32()}`);
    expect(contentAddressedPath(store, ca, 'hello.txt')).toBe('/nix/store/jgj24cnq4hss1j1ky1phqw7nh2kr3gd7-hello.txt');
  });

  it('parses digests in any encoding but renders nix32', () => {
    const hex = 'fixed:r:sha256:ede9e56f440358fb368f46ba4bca079ac8f68404363461411bfef48d032eb492';
    expect(renderContentAddress(parseContentAddress(hex))).toBe(VECTORS[0][0]);
  });

  it.each([
    ['an unknown method', 'nar:sha256:14ml5q1qvx7y3d0n2d1n0j2gdj4s0z54pfj6iwvgnn038ipybsgd', 'GENLEDGER_BAD_CONTENT_ADDRESS'],
    ['a missing algorithm', 'fixed:r:14ml5q1qvx7y3d0n2d1n0j2gdj4s0z54pfj6iwvgnn038ipybsgd', 'GENLEDGER_BAD_CONTENT_ADDRESS'],
    ['a text address that is not sha256', 'text:sha1:71b8c8a66a3c28f093e03a20d8671cbb2505654b', 'GENLEDGER_BAD_HASH'],
    ['a truncated digest', 'fixed:sha256:1n7ljx9m2klahrg3967sp9dfxkyvdrb75dbshqmqxccy6sicv69', 'GENLEDGER_BAD_HASH'],
  ])('refuses %s', (_what, text, code) => {
    expect(() => parseContentAddress(text)).toThrow(expect.objectContaining({ code }));
  });

  it('refuses references on a flat address and a self reference on a text address', () => {
    const flat = parseContentAddress(VECTORS[1][0]);
    expect(() => contentAddressedPath(store, flat, 'hello.txt', [HELLO])).toThrow(/cannot have references/);
    const text = parseContentAddress(VECTORS[2][0]);
    expect(() => contentAddressedPath(store, text, 'ref2.txt', [], true)).toThrow(/cannot have a self reference/);
  });
});
