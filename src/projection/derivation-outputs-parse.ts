/**
 * The outputs of a `.drv` as Nix writes it (spec 2.7): the first list of
 * `Derive([("out","/nix/store/…","",""),…],…)`, each a tuple of four
 * ATerm strings (name, path, hash algorithm, hash). Only that list is read:
 * it is all `nix-env -i DRV` needs (the `out` output's path). Strings
 * take the escapes Nix's printer writes (`\"`, `\\`, `\n`, `\r`, `\t`); an
 * output without a path (a floating content-addressed one, known only once
 * built) has the empty string. Anything else is a GENLEDGER_BAD_DERIVATION.
 */
import { refused } from '../errors.js';
import type { GenledgerError } from '../errors.js';
import type { DerivationOutput } from './derivation-aterm.js';

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', r: '\r', t: '\t' };

export function parseDerivationOutputs(text: string, drvPath: string): DerivationOutput[] {
  const fail = (problem: string): GenledgerError =>
    refused('GENLEDGER_BAD_DERIVATION', `derivation ${drvPath} ${problem}`, 'install a .drv written by Nix (nix-instantiate), or the store path of its output');
  let at = 0;
  const expect = (token: string) => {
    if (!text.startsWith(token, at)) throw fail(`does not have '${token}' at byte ${at}`);
    at += token.length;
  };
  const string = (): string => {
    expect('"');
    let value = '';
    for (;;) {
      const char = text[at];
      if (char === undefined) throw fail('ends inside a string');
      at += 1;
      if (char === '"') return value;
      if (char !== '\\') {
        value += char;
        continue;
      }
      const escaped = ESCAPES[text[at] ?? ''];
      if (escaped === undefined) throw fail(`has an unknown escape at byte ${at}`);
      value += escaped;
      at += 1;
    }
  };
  expect('Derive([');
  const outputs: DerivationOutput[] = [];
  while (!text.startsWith(']', at)) {
    if (outputs.length > 0) expect(',');
    expect('(');
    const name = string();
    expect(',');
    const path = string();
    expect(',');
    const hashAlgo = string();
    expect(',');
    const hash = string();
    expect(')');
    outputs.push({ name, path, hashAlgo, hash });
  }
  expect('],');
  return outputs;
}
