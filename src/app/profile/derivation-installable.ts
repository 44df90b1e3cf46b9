/**
 * A `.drv` named on the command line stands for its `out` output, as
 * `nix-env -i DRV` takes it (spec 8.2a): the output path is read from the
 * derivation's ATerm in the store, and the output must be valid before it
 * is installed. With the Nix backend Nix builds it first (the store port's
 * realise, as nix-env builds what it installs); the embedded store cannot
 * build, so there it must already have been added. A dry run builds
 * nothing.
 */
import { isGenledgerError, refused } from '../../errors.js';
import { readBoundedFile } from '../../fsx/read-bounded-file.js';
import { parseDerivationOutputs } from '../../projection/derivation-outputs-parse.js';
import type { Store } from '../../store/store.js';

/** Nix refuses larger derivations long before this; it only bounds what is read. */
const MAX_DRV_BYTES = 64 * 1024 * 1024;

export function isDerivationPath(storePath: string): boolean {
  return storePath.endsWith('.drv');
}

export async function derivationOutput(store: Store, drvPath: string, installable: string, options: { dryRun: boolean }): Promise<string> {
  const out = parseDerivationOutputs(readDerivation(store, drvPath), drvPath).find((output) => output.name === 'out');
  if (out === undefined || !store.storeDir.isStorePath(out.path)) {
    throw refused('GENLEDGER_BAD_DERIVATION', `derivation ${drvPath} has no 'out' output whose path is known before it is built`, 'install the store path of the output you want instead');
  }
  if (await store.isValid(out.path)) return out.path;
  if (store.kind === 'nix' && !options.dryRun) {
    await store.realise([`${drvPath}!out`]);
    return out.path;
  }
  throw refused(
    'GENLEDGER_NOT_VALID',
    `'${installable}' builds ${out.path}, which is not in the store`,
    store.kind === 'nix' ? 'install it without --dry-run to have Nix build it' : 'the embedded store cannot build: build it with Nix and add or copy the output in',
  );
}

function readDerivation(store: Store, drvPath: string): string {
  const refuse = (problem: string) => refused('GENLEDGER_BAD_DERIVATION', `derivation ${drvPath} ${problem}`);
  try {
    const bytes = readBoundedFile(store.location.physical(drvPath), { max: MAX_DRV_BYTES, followLinks: false, refuse });
    if (bytes === null) throw refuse('cannot be read');
    return bytes.toString('utf8');
  } catch (error) {
    if (isGenledgerError(error)) throw error;
    throw refuse(`cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
}
