/**
 * The files of a binary cache being written, each made visible atomically
 * as Nix's `file://` store does (spec 11.1): written to
 * `<file>.tmp.<pid>.<n>`, then renamed into place, so a reader never sees
 * half a file. NAR files are named for their hash and never rewritten: an
 * existing one already holds exactly those bytes.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class CacheFiles {
  private counter = 0;

  constructor(
    readonly dir: string,
    private readonly pid: number,
  ) {}

  has(relative: string): boolean {
    return existsSync(join(this.dir, relative));
  }

  mkdir(relative: string): void {
    mkdirSync(join(this.dir, relative), { recursive: true });
  }

  /** A fresh temporary name next to `relative` (absolute path). */
  tempFor(relative: string): string {
    this.counter += 1;
    return join(this.dir, `${relative}.tmp.${this.pid}.${this.counter}`);
  }

  writeText(relative: string, text: string): void {
    const temp = this.tempFor(relative);
    try {
      writeFileSync(temp, text, { flag: 'wx', mode: 0o644 });
      renameSync(temp, join(this.dir, relative));
    } finally {
      rmSync(temp, { force: true });
    }
  }

  /** Moves the finished `temp` to `relative`, unless a file is there already (then `temp` is dropped). */
  commit(temp: string, relative: string): void {
    if (this.has(relative)) rmSync(temp, { force: true });
    else renameSync(temp, join(this.dir, relative));
  }
}
