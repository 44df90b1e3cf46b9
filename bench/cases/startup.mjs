// Start-up: the least any command costs. `genledger --version` loads Node
// and the CLI's entry; `nix --version` is Nix's equivalent.
import { cliPath } from '../lib/genledger.mjs';
import { nixSpec } from '../lib/nix.mjs';
import { plainSide } from './sides.mjs';

export const startupCases = [
  {
    id: 'startup',
    title: 'CLI start-up (`--version`)',
    target: null,
    async sides(_fixtures, context) {
      return [plainSide({ file: process.execPath, args: [cliPath, '--version'], env: context.env }), plainSide(nixSpec(context.env, ['--version']))];
    },
  },
];
