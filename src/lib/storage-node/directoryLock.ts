/**
 * One process at a time per records directory: `stimbench.lock` holds the owner's pid. A lock whose
 * owner is no longer running (killed, crashed) is taken over; a live owner's lock is refused with a
 * typed error naming the pid.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { StorageError } from '../session/recordErrors.ts';

export const LOCK_FILE = 'stimbench.lock';

export interface DirectoryLock {
  release(): Promise<void>;
}

export class DirectoryLockedError extends StorageError {
  override name = 'DirectoryLockedError';
  readonly ownerPid: number;
  constructor(dir: string, ownerPid: number) {
    super('WRITE_FAILED', `the records directory ${dir} is in use by another stimbench process (pid ${ownerPid}); wait for it to finish or stop it`);
    this.ownerPid = ownerPid;
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireDirectoryLock(dir: string, pid: number): Promise<DirectoryLock> {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${pid}\n`);
      await handle.sync();
      await handle.close();
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          await unlink(path).catch(() => {});
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && owner !== pid && running(owner)) throw new DirectoryLockedError(dir, owner);
    // Stale (its owner is gone) or unreadable (a crash while writing it): take it over.
    await unlink(path).catch(() => {});
  }
  throw new StorageError('WRITE_FAILED', `could not take the lock ${path} (another process keeps taking it)`);
}
