/**
 * Reading a `.drv`'s outputs (spec 2.7), the part `nix-env -i DRV` needs:
 * the vector 13.6 derivation as Nix writes it, several outputs, escapes, and
 * the refusals.
 */
import { describe, expect, it } from 'vitest';
import { unparseDerivation } from '../../../src/projection/derivation-aterm.js';
import { parseDerivationOutputs } from '../../../src/projection/derivation-outputs-parse.js';
import { genledgerFailure } from '../domain/genledger-failure.js';

const DRV = '/nix/store/n0d8vid0b9054diiy9kzni9kk02my6sd-user-environment.drv';
const VECTOR =
  'Derive([("out","/nix/store/rc5y1f6260fd1niw8yxsj9c7j4lkq2gv-user-environment","","")],[],["/nix/store/5d8mxw9k2mpbqzjj545r7h51c22yyhiw-env-manifest.nix"],"builtin","builtin:buildenv",[],[("name","user-environment")])';

describe('parseDerivationOutputs', () => {
  it('reads the output of vector 13.6', () => {
    expect(parseDerivationOutputs(VECTOR, DRV)).toEqual([{ name: 'out', path: '/nix/store/rc5y1f6260fd1niw8yxsj9c7j4lkq2gv-user-environment', hashAlgo: '', hash: '' }]);
  });

  it('reads every output the writer writes, in order, floating outputs without a path', () => {
    const outputs = [
      { name: 'dev', path: '/nix/store/00000000000000000000000000000000-x-dev', hashAlgo: '', hash: '' },
      { name: 'out', path: '', hashAlgo: 'r:sha256', hash: '' },
      { name: 'man', path: '/nix/store/11111111111111111111111111111111-x', hashAlgo: '', hash: '' },
    ];
    const text = unparseDerivation({ outputs, inputDrvs: [], inputSrcs: [], system: 's', builder: 'b', args: [], env: {} });
    expect(parseDerivationOutputs(text, DRV)).toEqual([outputs[0], outputs[2], outputs[1]]);
  });

  it('takes the escapes of ATerm strings', () => {
    expect(parseDerivationOutputs('Derive([("a\\"b\\\\c\\n","","","")],[],[],"","",[],[])', DRV)[0]?.name).toBe('a"b\\c\n');
  });

  it.each([
    ['not a derivation', 'does not have \'Derive([\' at byte 0'],
    ['Derive([("out","/nix/store/x', 'ends inside a string'],
    ['Derive([("out","/nix\\x","","")],', 'has an unknown escape'],
    ['Derive([("out","p","","")("dev","q","","")],', "does not have ','"],
  ])('refuses %j with a GENLEDGER_BAD_DERIVATION naming the .drv', (text, problem) => {
    const error = genledgerFailure(() => parseDerivationOutputs(text, DRV));
    expect(error.code).toBe('GENLEDGER_BAD_DERIVATION');
    expect(error.message).toContain(DRV);
    expect(error.message).toContain(problem);
  });
});
