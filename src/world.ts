/**
 * Everything that is not deterministic reaches the program through one
 * `World` value, built in `bin/` (or by a test). Pure code never reads the
 * clock, the environment or the process; it is handed values from here.
 */
import type { Interruption } from './interruption.js';

export interface Actor {
  user: string;
  uid: number;
  sudoUser?: string;
  host: string;
  /** Set when the process ran in a user namespace: `uid` and `user` are then those outside it. */
  userNamespace?: boolean;
}

export interface Output {
  write(text: string): void;
  readonly isTTY: boolean;
  /** The terminal's width, when it is one that says. */
  readonly columns?: number;
  /** The terminal's height, when it is one that says. */
  readonly rows?: number;
}

export interface World {
  now(): Date;
  actor: Actor;
  newId(): string;
  pid: number;
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdout: Output;
  stderr: Output;
  sleep(ms: number): Promise<void>;
  /** Stop signals the CLI process received (interruption.ts); absent where nothing listens for them. */
  interruption?: Interruption;
}
