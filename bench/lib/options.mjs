// Command-line options of the suite. Usage errors exit 2, as genledger's do.
import { parseArgs } from 'node:util';

export const USAGE = `usage: npm run bench -- [--runs N] [--only CASE[,CASE...]] [--list] [--scratch DIR] [--cpu-prof DIR] [--out FILE] [--quiet] [--install-nix]

  --runs N         counted runs per comparison case, after one warm-up (default 5, at least 1)
  --only CASES     run only these cases (comma-separated ids; --list shows them)
  --list           print the case ids and exit
  --scratch DIR    build fixtures under DIR (default: /dev/shm when writable, else the temp dir)
  --cpu-prof DIR   run genledger under node --cpu-prof, writing profiles to DIR/<case> (timings include the profiler)
  --out FILE       where to write the JSON record (default bench/results/latest.json)
  --quiet          no progress on stderr
  --install-nix    when nix-store is missing: install it with apt-get (needs root)`;

export function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: '5' },
      only: { type: 'string' },
      list: { type: 'boolean', default: false },
      scratch: { type: 'string' },
      'cpu-prof': { type: 'string' },
      out: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      'install-nix': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 1000) throw new UsageError(`--runs must be a whole number from 1 to 1000, not '${values.runs}'`);
  return {
    runs,
    only: values.only === undefined ? null : values.only.split(',').map((id) => id.trim()).filter(Boolean),
    list: values.list,
    scratch: values.scratch,
    cpuProf: values['cpu-prof'],
    out: values.out,
    quiet: values.quiet,
    installNix: values['install-nix'],
    help: values.help,
  };
}

export class UsageError extends Error {}
