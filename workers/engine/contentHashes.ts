import { createHash } from 'node:crypto';
import path from 'node:path';
import { readTextHead } from '../files/index.js';
import type { ContextFileEntry, RunResult } from '../run/types.js';

/** Most files a run records hashes of: a context holds far fewer, and the record stays small. */
export const MAX_RECORDED_HASHES = 500;

/** A file larger than this is never skipped by content (it is not hashed). */
const MAX_HASHED_BYTES = 4 * 1024 * 1024;

/** 128 bits of sha256: plenty to tell two versions of one file apart, half the bytes in the record. */
const HASH = /^[0-9a-f]{32}$/;

/**
 * The content hash of a repository file as the context builder would read it
 * (a regular text file, not through a link), or null when it is gone,
 * unreadable, binary or too large to hash.
 *
 * @example await contentHashOf('/work/api', 'src/auth.ts') // → '3f2a…' (32 hex digits)
 */
export async function contentHashOf(repoDir: string, file: string): Promise<string | null> {
  const read = await readTextHead(path.join(repoDir, file), MAX_HASHED_BYTES + 1);
  if (read.kind !== 'text' || read.truncated) return null;
  return createHash('sha256').update(read.text).digest('hex').slice(0, 32);
}

/**
 * The hashes of the files a run showed the model whole (a truncated file was
 * not fully reviewed, so it is left out), at most {@link MAX_RECORDED_HASHES}.
 * Recorded with the run's `scan`, so the next incremental scan can leave out a
 * changed file whose content the model already saw.
 */
export async function hashShownFiles(repoDir: string, files: readonly ContextFileEntry[]): Promise<Record<string, string>> {
  const whole = files.filter((file) => !file.truncated).slice(0, MAX_RECORDED_HASHES);
  const hashes = await Promise.all(whole.map(async (file) => [file.path, await contentHashOf(repoDir, file.path)] as const));
  return Object.fromEntries(hashes.filter((entry): entry is readonly [string, string] => entry[1] !== null));
}

/**
 * The hash each file had when a run last showed it to the model, from runs
 * given newest first (the newest showing wins). Entries that are not a path
 * and a hash are ignored: a stored record is read as data.
 */
export function lastShownHashes(runsNewestFirst: readonly Pick<RunResult, 'scan'>[]): Map<string, string> {
  const shown = new Map<string, string>();
  for (const run of runsNewestFirst) {
    const hashes: unknown = run.scan?.contentHashes;
    if (typeof hashes !== 'object' || hashes === null) continue;
    for (const [file, hash] of Object.entries(hashes as Record<string, unknown>)) {
      if (!shown.has(file) && typeof hash === 'string' && HASH.test(hash)) shown.set(file, hash);
    }
  }
  return shown;
}

/**
 * The changed files whose current content is the content last shown to the
 * model: already reviewed, whether the change is committed or not.
 */
export async function unchangedSinceShown(repoDir: string, changed: ReadonlySet<string>, shown: ReadonlyMap<string, string>): Promise<Set<string>> {
  const candidates = [...changed].filter((file) => shown.has(file));
  const current = await Promise.all(candidates.map(async (file) => [file, await contentHashOf(repoDir, file)] as const));
  return new Set(current.filter(([file, hash]) => hash !== null && hash === shown.get(file)).map(([file]) => file));
}
