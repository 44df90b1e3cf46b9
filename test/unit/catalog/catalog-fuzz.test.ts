/**
 * parseCatalog is total: seeded random catalog-like documents, mutated into
 * broken JSON some of the time, either parse or fail with a one-line
 * GENLEDGER_BAD_CATALOG, never with another kind of error.
 */
import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../../src/catalog/catalog.js';
import { isGenledgerError } from '../../../src/errors.js';

type Random = () => number;

/** mulberry32: a small, fast, seedable generator, so a failure can be replayed. */
function seeded(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: Random, choices: readonly T[]): T {
  const choice = choices[Math.floor(random() * choices.length)];
  if (choice === undefined) throw new Error('pick from an empty list');
  return choice;
}

const strings = ['', 'hello', '1.0', 'pkgs/hello', './pkgs', 'pkgs/../x', '/etc/passwd', '/nix/store/abc-x', '__proto__', 'a\nb', '💥', 'x'.repeat(300)];
const fields = ['version', 'path', 'storePaths', 'priority', 'description', 'packages', 'extra', '__proto__'];

function anyValue(random: Random, depth: number): unknown {
  const kind = depth > 2 ? random() * 4 : random() * 6;
  if (kind < 1) return pick(random, [null, true, false]);
  if (kind < 2) return pick(random, [0, 1, -1, 1.5, 2 ** 31, 1e308, -0]);
  if (kind < 4) return pick(random, strings);
  if (kind < 5) return Array.from({ length: Math.floor(random() * 3) }, () => anyValue(random, depth + 1));
  return Object.fromEntries(Array.from({ length: Math.floor(random() * 3) }, () => [pick(random, fields), anyValue(random, depth + 1)]));
}

function packageLike(random: Random): unknown {
  if (random() < 0.1) return anyValue(random, 1);
  const entry: Record<string, unknown> = { version: random() < 0.8 ? pick(random, ['1.0', '2', '0.1-beta']) : anyValue(random, 2) };
  const source = random();
  if (source < 0.45) entry.path = random() < 0.7 ? pick(random, ['pkgs/a', 'b', 'pkgs/c-1']) : pick(random, strings);
  else if (source < 0.9) entry.storePaths = random() < 0.7 ? ['/nix/store/abc-x'] : anyValue(random, 2);
  if (random() < 0.2) entry.priority = anyValue(random, 2);
  if (random() < 0.2) entry.description = anyValue(random, 2);
  if (random() < 0.1) entry[pick(random, fields)] = anyValue(random, 2);
  return entry;
}

function catalogLike(random: Random): unknown {
  if (random() < 0.1) return anyValue(random, 0);
  const names = ['hello', 'greet', 'a.b', "x'", '9lives', '__proto__', ''];
  const packages = Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [pick(random, names), packageLike(random)]));
  return { version: random() < 0.85 ? 1 : anyValue(random, 1), packages: random() < 0.9 ? packages : anyValue(random, 1) };
}

/** Sometimes breaks the text: cuts it short, or drops in a stray character. */
function mutate(random: Random, text: string): string {
  const at = Math.floor(random() * (text.length + 1));
  const roll = random();
  if (roll < 0.15) return text.slice(0, at);
  if (roll < 0.3) return text.slice(0, at) + pick(random, ['{', '}', '"', ',', ':', '\\', '\n', '\u0000']) + text.slice(at);
  return text;
}

describe('parseCatalog on random input', () => {
  it('either parses or throws a one-line GENLEDGER_BAD_CATALOG, for 300 seeded cases', () => {
    const random = seeded(20240611);
    const outcomes = { parsed: 0, refused: 0 };
    for (let i = 0; i < 300; i++) {
      const text = mutate(random, JSON.stringify(catalogLike(random)));
      try {
        parseCatalog(text, '/fuzz/catalog.json');
        outcomes.parsed++;
      } catch (error) {
        if (!isGenledgerError(error)) throw new Error(`case ${i} threw a ${String(error)} for ${JSON.stringify(text)}`);
        expect(error.code).toBe('GENLEDGER_BAD_CATALOG');
        expect(error.message.startsWith("catalog '/fuzz/catalog.json': ")).toBe(true);
        expect(error.message).not.toMatch(/[\n\r]/);
        outcomes.refused++;
      }
    }
    // The generator must exercise both outcomes, or the test proves little.
    expect(outcomes.parsed).toBeGreaterThan(20);
    expect(outcomes.refused).toBeGreaterThan(20);
  });
});
