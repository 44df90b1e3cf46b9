// Progress of a long suite on stderr: one line rewritten in place on a
// terminal, nothing at all when stderr is not a TTY or with --quiet.

/** @param {boolean} quiet */
export function createProgress(quiet) {
  const enabled = !quiet && process.stderr.isTTY === true;
  const started = Date.now();
  let shown = false;
  return {
    /** @param {string} text */
    update(text) {
      if (!enabled) return;
      const seconds = Math.round((Date.now() - started) / 1000);
      const line = `bench [${seconds}s] ${text}`.slice(0, (process.stderr.columns ?? 100) - 1);
      process.stderr.write(`\r\x1b[2K${line}`);
      shown = true;
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
