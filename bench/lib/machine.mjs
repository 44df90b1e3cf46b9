// What the figures were measured on, for the JSON record and the output:
// results only compare across runs on the same kind of machine and load.
import { cpus, freemem, loadavg, release, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { fsTypeOf } from './scratch.mjs';

export function describeMachine({ nixVersion, genledgerVersion, scratch }) {
  return {
    date: new Date().toISOString(),
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    kernel: release(),
    os: osName(),
    node: process.version,
    nix: nixVersion,
    genledger: genledgerVersion,
    loadAverageAtStart: loadavg(),
    scratch: { dir: scratch.dir, fsType: scratch.fsType },
    nixStoreFsType: fsTypeOf('/nix/store'),
  };
}

function osName() {
  try {
    return /^PRETTY_NAME="?([^"\n]*)/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
