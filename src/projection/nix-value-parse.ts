/**
 * Reading what Nix's value printer writes (spec 8.2), the format of a
 * nix-env `manifest.nix`: lists `[ a b ]`, attribute sets `{ n = v; }` with
 * raw names, strings with `\"`, `\\`, `\n`, `\r`, `\t` and `\${` escapes,
 * integers, floats, `true`/`false`/`null`, unquoted paths and opaque
 * `<LAMBDA>`-style markers. It is strict: the single spaces the printer puts
 * between tokens are required, nothing may follow the value, and every
 * defect is one GENLEDGER_BAD_MANIFEST naming the file and the byte offset.
 */
import { refused } from '../errors.js';
import type { GenledgerError } from '../errors.js';

export type NixValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly text: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'path'; readonly value: string }
  | { readonly kind: 'opaque'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly NixValue[] }
  | { readonly kind: 'attrs'; readonly attrs: ReadonlyMap<string, NixValue> };

const MAX_DEPTH = 64;
const NUMBER = /^-?[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?/;
const OPAQUE = /^<[A-Z][A-Z-]*>/;
const PATH = /^\/[^ ;\]}]*/;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', r: '\r', t: '\t', $: '$' };

export function parseNixValue(text: string, fileName: string): NixValue {
  const parser = new Parser(text, fileName);
  const value = parser.value(0);
  if (parser.at < text.length) throw parser.fail('has text after the value');
  return value;
}

class Parser {
  at = 0;

  constructor(
    private readonly text: string,
    private readonly fileName: string,
  ) {}

  fail(problem: string): GenledgerError {
    return refused('GENLEDGER_BAD_MANIFEST', `manifest '${this.fileName}' ${problem} at byte ${this.at}`, 'a manifest.nix must be exactly as nix-env writes it');
  }

  value(depth: number): NixValue {
    if (depth > MAX_DEPTH) throw this.fail(`nests deeper than ${MAX_DEPTH} levels`);
    const rest = this.text.slice(this.at, this.at + 1);
    if (rest === '[') return this.list(depth);
    if (rest === '{') return this.attrs(depth);
    if (rest === '"') return { kind: 'string', value: this.string() };
    for (const [word, value] of [['true', { kind: 'bool', value: true }], ['false', { kind: 'bool', value: false }], ['null', { kind: 'null' }]] as const) {
      if (this.text.startsWith(word, this.at) && this.isEnd(this.at + word.length)) {
        this.at += word.length;
        return value;
      }
    }
    return this.atom();
  }

  private list(depth: number): NixValue {
    this.expect('[ ');
    const items: NixValue[] = [];
    while (!this.take(']')) {
      items.push(this.value(depth + 1));
      this.expect(' ');
    }
    return { kind: 'list', items };
  }

  private attrs(depth: number): NixValue {
    this.expect('{ ');
    const attrs = new Map<string, NixValue>();
    while (!this.take('}')) {
      const end = this.text.indexOf(' = ', this.at);
      const name = end === -1 ? '' : this.text.slice(this.at, end);
      if (name === '' || /[ ;{}[\]"]/.test(name)) throw this.fail('has an attribute without a name');
      if (attrs.has(name)) throw this.fail(`repeats the attribute '${name}'`);
      this.at = end + 3;
      attrs.set(name, this.value(depth + 1));
      this.expect('; ');
    }
    return { kind: 'attrs', attrs };
  }

  private string(): string {
    this.at++;
    let value = '';
    for (;;) {
      const char = this.text[this.at];
      if (char === undefined) throw this.fail('ends inside a string');
      this.at++;
      if (char === '"') return value;
      if (char !== '\\') {
        value += char;
        continue;
      }
      const escaped = ESCAPES[this.text[this.at] ?? ''];
      if (escaped === undefined) throw this.fail('has an unknown escape in a string');
      this.at++;
      value += escaped;
    }
  }

  private atom(): NixValue {
    const rest = this.text.slice(this.at);
    const number = NUMBER.exec(rest);
    if (number !== null && this.isEnd(this.at + number[0].length)) {
      this.at += number[0].length;
      if (number[1] !== undefined || number[2] !== undefined) return { kind: 'float', text: number[0] };
      const value = Number(number[0]);
      if (!Number.isSafeInteger(value)) throw this.fail(`has an integer genledger cannot hold exactly: ${number[0]}`);
      return { kind: 'int', value };
    }
    const opaque = OPAQUE.exec(rest) ?? PATH.exec(rest);
    if (opaque !== null && this.isEnd(this.at + opaque[0].length)) {
      this.at += opaque[0].length;
      return opaque[0].startsWith('/') ? { kind: 'path', value: opaque[0] } : { kind: 'opaque', text: opaque[0] };
    }
    throw this.fail('has something that is not a value');
  }

  /** A value ends where the printer puts a space or a `;`, or at the end of the text. */
  private isEnd(at: number): boolean {
    return at === this.text.length || this.text[at] === ' ' || this.text[at] === ';';
  }

  private take(token: string): boolean {
    if (!this.text.startsWith(token, this.at)) return false;
    this.at += token.length;
    return true;
  }

  private expect(token: string): void {
    if (!this.take(token)) throw this.fail(`lacks '${token.trim() || 'a space'}'`);
  }
}
