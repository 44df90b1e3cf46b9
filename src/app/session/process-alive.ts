/**
 * Whether a process runs, asked of the kernel with signal 0. A process of
 * another user answers EPERM: it runs all the same. Used to tell a crashed
 * run's temporary store entries from work in progress.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
