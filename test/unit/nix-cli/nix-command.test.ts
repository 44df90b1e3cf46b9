/** What a user sees of a failed Nix command: its first error line, plain. */
import { describe, expect, it } from 'vitest';
import { firstNixError } from '../../../src/nix-cli/nix-command.js';

describe('firstNixError', () => {
  it('takes the first error line, without colours or the lines after it', () => {
    const stderr = [
      "warning: Git tree '/srv/f' is dirty",
      "\u001b[31;1merror:\u001b[0m builder for '\u001b[35;1m/nix/store/x-hello.drv\u001b[0m' failed with exit code 3;",
      '       last 1 log lines:',
      '       > boom',
      'error: second',
    ].join('\n');
    expect(firstNixError(stderr)).toBe("builder for '/nix/store/x-hello.drv' failed with exit code 3;");
  });

  it('is null when Nix printed no error line', () => {
    expect(firstNixError('warning: only this\n')).toBeNull();
  });
});
