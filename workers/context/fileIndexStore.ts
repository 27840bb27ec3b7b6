import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { isRepositoryRelativePath, readTextHead } from '../files/index.js';
import type { ExclusionReason } from '../run/types.js';
import { FILE_INDEX_VERSION } from './constants.js';
import { canonicalPatterns } from './fileIndex.js';
import type { FileIndex } from './types.js';

const EXCLUSION_REASONS = [
  'budget', 'binary', 'lockfile', 'vendored', 'generated', 'gitignored', 'too-large', 'symlink', 'unreadable',
  'too-deep', 'not-a-regular-file', 'outside-repository',
] as const satisfies readonly ExclusionReason[];

/** An index bigger than this is not read back (a million files take about 100 MB): it is rebuilt instead. */
const MAX_INDEX_BYTES = 256 * 1024 * 1024;

/** A path the index may hold: relative to the repository root, never `..` or absolute. */
const indexPath = z.string().refine(isRepositoryRelativePath, { message: 'a path of the index must be relative to the repository, without ..' });

const fileIndexSchema = z.object({
  version: z.literal(FILE_INDEX_VERSION),
  repoDir: z.string(),
  patterns: z.array(z.string()),
  head: z.string().nullable(),
  newestMtimeMs: z.number(),
  fingerprint: z.string(),
  files: z.array(z.object({ path: indexPath, size: z.number().int().nonnegative(), mtimeMs: z.number() })),
  // '.' is the root itself, when the walk could not read it.
  skipped: z.array(z.object({ path: z.union([indexPath, z.literal('.')]), reason: z.enum(EXCLUSION_REASONS) })),
  recency: z.record(z.string(), z.number()),
});

/**
 * Where the index of one repository and pattern set lives under a state
 * directory: one file per pair, so workers with different patterns do not
 * overwrite each other's index.
 *
 * @example fileIndexPath('/var/state', '/work/api', ['src/**']) // '/var/state/file-index-1a2b….json'
 */
export function fileIndexPath(stateDir: string, repoDir: string, patterns: readonly string[]): string {
  const key = createHash('sha256')
    .update([path.resolve(repoDir), ...canonicalPatterns(patterns)].join('\0'))
    .digest('hex')
    .slice(0, 24);
  return path.join(stateDir, `file-index-${key}.json`);
}

/**
 * Writes an index atomically (temporary file, then rename), so a reader never
 * sees half an index even when two workers warm it at once.
 */
export async function saveFileIndex(index: FileIndex, filePath: string): Promise<void> {
  await mkdir(path.dirname(filePath), { recursive: true });
  const temporary = `${filePath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, JSON.stringify(index), { encoding: 'utf8', mode: 0o600 });
    await rename(temporary, filePath);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Reads an index saved by `saveFileIndex`; null when the file is missing,
 * corrupt, of another version, not a regular file (a link, a FIFO: opened
 * without following or blocking), too big, or names any path outside the
 * repository (absolute, `..`): a cache miss, never an error. The index is
 * then rebuilt from the tree, so a planted index cannot add a path.
 */
export async function loadFileIndex(filePath: string): Promise<FileIndex | null> {
  const read = await readTextHead(filePath, MAX_INDEX_BYTES);
  if (read.kind !== 'text' || read.truncated) return null;
  try {
    const parsed = fileIndexSchema.safeParse(JSON.parse(read.text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
