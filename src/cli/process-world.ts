/**
 * The World of a real process: the only place that reads the clock, the
 * user database, the host name and the environment for the rest of the
 * program (who the actor is: process-actor.ts). Tests build their own World instead.
 */
import { randomUUID } from 'node:crypto';
import type { Output, World } from '../world.js';
import { decideActor, readProcessFacts } from './process-actor.js';

function outputOf(stream: NodeJS.WriteStream): Output {
  return {
    write: (text) => {
      stream.write(text);
    },
    isTTY: stream.isTTY === true,
    ...(stream.isTTY === true && stream.columns > 0 ? { columns: stream.columns } : {}),
    ...(stream.isTTY === true && stream.rows > 0 ? { rows: stream.rows } : {}),
  };
}

export function createProcessWorld(argv: readonly string[]): World {
  const env = process.env;
  return {
    now: () => new Date(),
    actor: decideActor(readProcessFacts(env)),
    newId: () => randomUUID(),
    pid: process.pid,
    argv,
    env,
    cwd: process.cwd(),
    stdout: outputOf(process.stdout),
    stderr: outputOf(process.stderr),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
