// Times one whole process: wall clock by process.hrtime around spawnSync,
// and the child's user+sys CPU from this process's cutime/cstime in
// /proc/self/stat (children's times are added there when they are reaped,
// so the difference across one spawnSync is that child's, grandchildren
// included; resolution one clock tick, usually 10 ms).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const tickMs = 1000 / (Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100);

function childCpuMs() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17
  return (Number(fields[13]) + Number(fields[14])) * tickMs;
}

/** @typedef {{ file: string, args: string[], env?: NodeJS.ProcessEnv, cwd?: string }} Spec */
/** @typedef {{ wallMs: number, cpuMs: number, stdout: string, stderr: string }} Timed */

/** @param {Spec} spec @returns {Timed} */
export function timedSpawn(spec) {
  const cpuBefore = childCpuMs();
  const start = process.hrtime.bigint();
  const result = spawnSync(spec.file, spec.args, { env: spec.env, cwd: spec.cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const cpuMs = childCpuMs() - cpuBefore;
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${[spec.file, ...spec.args].join(' ')} exited with ${result.status ?? result.signal}:\n${result.stderr.slice(-2000)}`);
  }
  return { wallMs, cpuMs, stdout: result.stdout, stderr: result.stderr };
}

/** Runs an untimed helper command, failing loudly; returns its stdout. */
export function run(file, args, options = {}) {
  const result = spawnSync(file, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${[file, ...args].join(' ')} exited with ${result.status ?? result.signal}:\n${(result.stderr ?? '').slice(-2000)}`);
  return result.stdout;
}
