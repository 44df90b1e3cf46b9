import { describe, expect, it } from 'vitest';
import { sizeText } from '../../src/cli/render/size-text.js';

describe('sizeText', () => {
  it('prints bytes below 1 KiB exactly and larger counts in binary units with one decimal', () => {
    expect(sizeText(0)).toBe('0 B');
    expect(sizeText(1023)).toBe('1023 B');
    expect(sizeText(1024)).toBe('1.0 KiB');
    expect(sizeText(1536)).toBe('1.5 KiB');
    expect(sizeText(5 * 1048576)).toBe('5.0 MiB');
    expect(sizeText(3 * 1024 ** 3)).toBe('3.0 GiB');
    expect(sizeText(2048 * 1024 ** 4)).toBe('2048.0 TiB');
  });
});
