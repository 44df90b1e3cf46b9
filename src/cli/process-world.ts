/**
 * The World of a real process: the only place that reads the clock, the
 * user database, the host name and the environment for the rest of the
 * program. Tests build their own World instead.
 */
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { Output, World } from '../world.js';

function outputOf(stream: NodeJS.WriteStream): Output {
  return {
    write: (text) => {
      stream.write(text);
    },
    isTTY: stream.isTTY === true,
  };
}

export function createProcessWorld(argv: readonly string[]): World {
  const env = process.env;
  const info = userInfo();
  const sudoUser = env.SUDO_USER;
  return {
    now: () => new Date(),
    actor: {
      user: info.username,
      uid: info.uid,
      ...(sudoUser !== undefined && sudoUser !== info.username ? { sudoUser } : {}),
      host: hostname(),
    },
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
