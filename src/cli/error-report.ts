/**
 * The one place where failures become text. Expected errors print one line
 * (`genledger: <fact>`) and an optional `hint:` line; with --json they are a
 * JSON object on stderr so stdout carries only data. Anything else is a bug:
 * exit 70, with the stack only under --debug.
 */
import { ExitCode, isGenledgerError } from '../errors.js';
import type { ExitCode as ExitStatus } from '../errors.js';
import type { Output } from '../world.js';

export interface ReportOptions {
  json: boolean;
  debug: boolean;
}

/**
 * Messages quote what the user typed, so a carriage return or a terminal
 * escape in an argument must not reach the terminal: line breaks become a
 * space, other control characters are shown escaped (\u001b).
 */
function oneLine(text: string): string {
  return text
    .replace(/\s*[\n\r\u2028\u2029]\s*/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .trim();
}

export function reportError(error: unknown, stderr: Output, options: ReportOptions): ExitStatus {
  if (isGenledgerError(error)) {
    if (options.json) {
      const body = { code: error.code, message: oneLine(error.message), ...(error.hint ? { hint: error.hint } : {}) };
      stderr.write(`${JSON.stringify({ error: body })}\n`);
    } else {
      stderr.write(`genledger: ${oneLine(error.message)}\n`);
      if (error.hint) stderr.write(`hint: ${oneLine(error.hint)}\n`);
    }
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (options.json) {
    stderr.write(`${JSON.stringify({ error: { code: 'GENLEDGER_INTERNAL', message: oneLine(message) } })}\n`);
  } else {
    stderr.write(`genledger: internal error: ${oneLine(message)}\n`);
    stderr.write('hint: this is a bug; please report it with the command you ran (rerun with --debug for a stack trace)\n');
  }
  if (options.debug && error instanceof Error && error.stack) stderr.write(`${error.stack}\n`);
  return ExitCode.internal;
}
