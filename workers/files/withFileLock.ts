import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FileLockOptions {
  /** A lock file older than this was left by a crashed process and is taken over. Default 30 s. */
  readonly staleMs?: number;
  /** Give up (throw) after waiting this long. Default 15 s. */
  readonly timeoutMs?: number;
}

/**
 * Runs `fn` while holding an exclusive lock file, so processes on one machine (a CLI run
 * and a daemon) can read-modify-write the same state file. The lock is created with `wx`
 * (fails when it exists); a lock older than `staleMs` by the wall clock is taken over.
 * Critical sections must stay short: the lock is not refreshed while held.
 *
 * @example
 * await withFileLock(`${file}.lock`, async () => writeJsonAtomic(file, update(await read(file))));
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const token = await acquire(lockPath, options.staleMs ?? 30_000, options.timeoutMs ?? 15_000);
  try {
    return await fn();
  } finally {
    await release(lockPath, token);
  }
}

async function acquire(lockPath: string, staleMs: number, timeoutMs: number): Promise<string> {
  const token = `${process.pid}:${randomUUID()}`;
  const deadline = Date.now() + timeoutMs;
  await mkdir(dirname(lockPath), { recursive: true });
  for (;;) {
    try {
      await writeFile(lockPath, token, { flag: 'wx' });
      return token;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    await removeIfStale(lockPath, staleMs);
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for the lock ${lockPath}; ` +
          'if no other headless-workers process is running, delete that file',
      );
    }
    // Jitter keeps two waiters from retrying in lockstep.
    await sleep(2 + Math.random() * 10);
  }
}

/**
 * Moves a stale lock aside before deleting it, and checks that what it moved is the lock it
 * judged stale: a plain unlink could delete a lock another process took over a moment ago.
 */
async function removeIfStale(lockPath: string, staleMs: number): Promise<void> {
  let staleToken: string;
  try {
    const info = await stat(lockPath);
    if (Date.now() - info.mtimeMs < staleMs) return;
    staleToken = await readFile(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const aside = `${lockPath}.stale-${randomUUID()}`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readFile(aside, 'utf8');
  if (moved !== staleToken) {
    // Someone else replaced the stale lock first: give theirs back unless a third took over.
    await link(aside, lockPath).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

async function release(lockPath: string, token: string): Promise<void> {
  try {
    // Held past staleMs and taken over: the file is someone else's now.
    if ((await readFile(lockPath, 'utf8')) !== token) return;
    await unlink(lockPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
