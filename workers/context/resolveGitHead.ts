import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { readGitDataFile } from './readGitDataFile.js';

const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const SMALL_FILE_BYTES = 4096;
const PACKED_REFS_MAX_BYTES = 64 * 1024 * 1024;
/** Symbolic refs pointing at symbolic refs: git itself stops at 5. */
const MAX_SYMREF_DEPTH = 5;

/** What HEAD names in a target's `.git`: a commit, or none yet (an unborn branch, or unreadable). */
export interface GitHeadState {
  readonly commit: string | null;
}

/**
 * Resolves HEAD of the `.git` folder `gitDir` by reading its files as data
 * (HEAD, the loose ref, `packed-refs`), without running git and so without
 * reading the target's config. Ref names are checked before they become
 * paths (no `..`, nothing outside `refs/`), no link is followed on the way,
 * and no FIFO blocks the read.
 *
 * @example await resolveGitHead('/work/repo/.git') // { commit: '3f2a…' }
 */
export async function resolveGitHead(gitDir: string): Promise<GitHeadState> {
  let content = await readSmall(path.join(gitDir, 'HEAD'));
  for (let depth = 0; depth <= MAX_SYMREF_DEPTH && content !== null; depth++) {
    if (COMMIT.test(content)) return { commit: content };
    const ref = /^ref: (.+)$/.exec(content)?.[1];
    if (!ref || !isSafeRefName(ref)) return { commit: null };
    content = (await readLooseRef(gitDir, ref)) ?? (await readPackedRef(gitDir, ref));
  }
  return { commit: null };
}

/** A ref name git would accept, under `refs/`, that cannot climb out of `.git` as a path. */
function isSafeRefName(ref: string): boolean {
  if (!ref.startsWith('refs/') || ref.length > 1024) return false;
  if (/[\0-\x20\x7f~^:?*[\\]/.test(ref) || ref.includes('..') || ref.includes('@{') || ref.endsWith('/')) return false;
  return ref.split('/').every((segment) => segment !== '' && !segment.startsWith('.') && !segment.endsWith('.lock'));
}

async function readSmall(file: string): Promise<string | null> {
  const data = await readGitDataFile(file, SMALL_FILE_BYTES);
  return data === null ? null : data.toString('utf8').trim();
}

/** A loose ref file, reached through real folders only (a linked `refs/heads` is refused). */
async function readLooseRef(gitDir: string, ref: string): Promise<string | null> {
  const segments = ref.split('/');
  let folder = gitDir;
  for (const segment of segments.slice(0, -1)) {
    folder = path.join(folder, segment);
    const stats = await lstat(folder).catch(() => null);
    if (!stats?.isDirectory()) return null;
  }
  return readSmall(path.join(folder, segments.at(-1)!));
}

async function readPackedRef(gitDir: string, ref: string): Promise<string | null> {
  const data = await readGitDataFile(path.join(gitDir, 'packed-refs'), PACKED_REFS_MAX_BYTES);
  if (data === null) return null;
  for (const line of data.toString('utf8').split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0 && line.slice(space + 1).trimEnd() === ref) return line.slice(0, space);
  }
  return null;
}
