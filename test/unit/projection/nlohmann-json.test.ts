import { describe, expect, it } from 'vitest';
import { nlohmannDump } from '../../../src/projection/nlohmann-json.js';

describe('nlohmannDump', () => {
  // Expected texts were printed by Nix 2.8 (`nix flake metadata --json`, an nlohmann dump) for the same strings.
  it.each([
    { given: 'quote, backslash and slash', value: 'q" bs\\ sl/', written: '"q\\" bs\\\\ sl/"' },
    { given: 'named control escapes', value: 'nl\n tab\t cr\r b\b f\f', written: '"nl\\n tab\\t cr\\r b\\b f\\f"' },
    { given: 'other control characters', value: 'ctl\u0001\u001f vt\u000b', written: '"ctl\\u0001\\u001f vt\\u000b"' },
    { given: 'DEL and non-ASCII', value: 'del\u007f é 😀 \u2028', written: '"del\u007f é 😀 \u2028"' },
  ])('escapes strings as nlohmann does: $given', ({ value, written }) => {
    expect(nlohmannDump(value)).toBe(written);
  });

  it('writes compact JSON with object keys in UTF-8 byte order', () => {
    expect(nlohmannDump({ b: [1, true, null], a: { '\uffff': 0, '😀': 1, Z: -2 } })).toBe(
      '{"a":{"Z":-2,"\uffff":0,"😀":1},"b":[1,true,null]}',
    );
  });

  it('refuses text that is not valid Unicode, as nlohmann refuses invalid UTF-8', () => {
    expect(() => nlohmannDump({ name: 'bad\ud800' })).toThrow(expect.objectContaining({ code: 'GENLEDGER_INVALID_UNICODE' }));
  });

  it('refuses numbers that are not safe integers', () => {
    expect(() => nlohmannDump(1.5)).toThrow(/not a safe integer/);
  });
});
