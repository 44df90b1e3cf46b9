/**
 * Derivations as Nix writes them to `.drv` files (spec 2.7): the ATerm
 * `Derive(outputs, inputDrvs, inputSrcs, system, builder, args, env)` with
 * no whitespace and no trailing newline, and the paths of an
 * input-addressed derivation: its outputs hashed from the ATerm with every
 * output path masked (`hashDerivationModulo` without input derivations),
 * the `.drv` itself a text path referring to its inputs. Lists are written
 * in Nix's order (outputs, input derivations and sources, env keys sorted
 * by bytes), so equal derivations give equal bytes.
 */
import { Hash } from '../store/hash.js';
import { compareUtf8 } from '../store/nar-tree.js';
import type { StoreDir } from '../store/store-path.js';

export interface DerivationOutput {
  readonly name: string;
  readonly path: string;
  readonly hashAlgo: string;
  readonly hash: string;
}

export interface Derivation {
  readonly outputs: readonly DerivationOutput[];
  readonly inputDrvs: readonly { readonly path: string; readonly outputs: readonly string[] }[];
  readonly inputSrcs: readonly string[];
  readonly system: string;
  readonly builder: string;
  readonly args: readonly string[];
  readonly env: { readonly [key: string]: string };
}

/** A derivation with its paths filled in, its `.drv` bytes and path. */
export interface WrittenDerivation {
  readonly derivation: Derivation;
  readonly text: string;
  readonly drvPath: string;
  /** Output name to path. */
  readonly outputPaths: ReadonlyMap<string, string>;
  /** What the `.drv` refers to: its input sources and input derivations. */
  readonly references: readonly string[];
}

export function unparseDerivation(drv: Derivation): string {
  const outputs = [...drv.outputs].sort((a, b) => compareUtf8(a.name, b.name)).map((o) => `(${raw(o.name)},${raw(o.path)},${raw(o.hashAlgo)},${raw(o.hash)})`);
  const inputDrvs = [...drv.inputDrvs]
    .sort((a, b) => compareUtf8(a.path, b.path))
    .map((input) => `(${raw(input.path)},[${[...input.outputs].sort(compareUtf8).map(raw).join(',')}])`);
  const inputSrcs = [...drv.inputSrcs].sort(compareUtf8).map(raw);
  const env = Object.keys(drv.env)
    .sort(compareUtf8)
    .map((key) => `(${escaped(key)},${escaped(drv.env[key] as string)})`);
  return `Derive([${outputs.join(',')}],[${inputDrvs.join(',')}],[${inputSrcs.join(',')}],${raw(drv.system)},${escaped(drv.builder)},[${drv.args.map(escaped).join(',')}],[${env.join(',')}])`;
}

/**
 * Fills in the output paths of an input-addressed derivation named `name`
 * whose outputs are `outputNames` (paths and env entries for them are set
 * here), as `derivation { … }` does when it has no input derivations.
 */
export function writeInputAddressedDerivation(storeDir: StoreDir, name: string, outputNames: readonly string[], drv: Omit<Derivation, 'outputs'>): WrittenDerivation {
  if (drv.inputDrvs.length > 0) throw new Error('writeInputAddressedDerivation: input derivations need their own modulo hashes');
  const masked: Derivation = {
    ...drv,
    outputs: outputNames.map((output) => ({ name: output, path: '', hashAlgo: '', hash: '' })),
    env: { ...drv.env, ...Object.fromEntries(outputNames.map((output) => [output, ''])) },
  };
  const modulo = Hash.of('sha256', unparseDerivation(masked)).toHex();
  const outputPaths = new Map(outputNames.map((output) => [output, storeDir.makeStorePath(`output:${output}`, modulo, output === 'out' ? name : `${name}-${output}`)]));
  const derivation: Derivation = {
    ...drv,
    outputs: masked.outputs.map((output) => ({ ...output, path: outputPaths.get(output.name) as string })),
    env: { ...drv.env, ...Object.fromEntries(outputPaths) },
  };
  const text = unparseDerivation(derivation);
  const references = [...new Set([...drv.inputSrcs, ...drv.inputDrvs.map((input) => input.path)])].sort(compareUtf8);
  return { derivation, text, drvPath: storeDir.makeTextPath(Hash.of('sha256', text), references, `${name}.drv`), outputPaths, references };
}

/** Output names, paths, input paths and the system are written without escaping, as Nix does. */
function raw(text: string): string {
  return `"${text}"`;
}

function escaped(text: string): string {
  return `"${text.replace(/["\\\n\r\t]/g, (match) => ATERM_ESCAPES[match] as string)}"`;
}

const ATERM_ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
