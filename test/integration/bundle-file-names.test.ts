import { describe, expect, it } from 'vitest';
import { streamFileName } from '../../src/app/bundle/bundle-format.js';

describe('the file a bundle stores a stream in', () => {
  const tricky = ['profile', 'per-user/alice/profile', 'path:/tmp/x', 'path:/tmp/x/..', 'a%2Fb', 'a/b', 'a.b', '..a', 'caf\u00e9', 'x~y', 'sp ace'];

  it('percent-encodes every byte but letters, digits, _ and -', () => {
    expect(streamFileName('profile')).toBe('profile.ndjson');
    expect(streamFileName('per-user/alice/profile')).toBe('per-user%2Falice%2Fprofile.ndjson');
    expect(streamFileName('path:/tmp/x.y')).toBe('path%3A%2Ftmp%2Fx%2Ey.ndjson');
    expect(streamFileName('caf\u00e9')).toBe('caf%C3%A9.ndjson');
  });

  it('never holds a slash, a leading dot or a .. component, and gives distinct names to distinct streams', () => {
    const names = tricky.map(streamFileName);
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_%~-]+\.ndjson$/);
    expect(new Set(names).size).toBe(tricky.length);
  });

  it('keeps long names under the file-name limit of every file system, still distinct', () => {
    const long = 'x'.repeat(500);
    const longer = `${long}/y`;
    expect(Buffer.byteLength(streamFileName(long))).toBeLessThan(200);
    expect(Buffer.byteLength(streamFileName('\u00e9'.repeat(400)))).toBeLessThan(200);
    expect(streamFileName(long)).not.toBe(streamFileName(longer));
  });
});
