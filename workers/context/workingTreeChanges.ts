import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { listRepositoryFiles } from '../files/listRepositoryFiles.js';
import { runGit } from './runGit.js';

/** Files hashed between two turns of the event loop. */
const HASH_BATCH = 256;
const CHUNK_BYTES = 1024 * 1024;

/**
 * The files of the working tree that differ from HEAD: tracked files whose
 * content is not HEAD's (modified, staged, deleted or replaced by something
 * that is not a regular file) and files HEAD does not hold that the listing
 * keeps (untracked, not ignored). Files inside a submodule or a nested
 * repository are that repository's business, as for git status. Null when
 * git fails.
 *
 * This is `git status` without git reading the working tree: status opens
 * every `.gitignore` and `.gitattributes` it meets, and one planted as a FIFO
 * blocks it until it is killed (issue 11, case 9). Here git only reads
 * objects (`ls-tree`), the working tree is hashed the way git names blobs
 * through non-blocking opens of regular files, and untracked files come from
 * our own walk (which reads ignore files only when they are regular files).
 *
 * @example await workingTreeChanges('/work/api') // → Set { 'src/new.ts', 'src/auth.ts' }
 */
export async function workingTreeChanges(repoDir: string): Promise<Set<string> | null> {
  const root = path.resolve(repoDir);
  const tree = await runGit(root, ['ls-tree', '-r', '-z', '--full-tree', 'HEAD']);
  if (tree === null) return null;
  const { blobs: headBlobs, gitlinks } = parseTree(tree);
  const changed = new Set<string>();
  let hashed = 0;
  for (const [file, blob] of headBlobs) {
    if (++hashed % HASH_BATCH === 0) await yieldToEventLoop();
    if (blob.mode === LINK_MODE) continue;
    if (gitBlobId(path.join(root, file), blob.id.length === 64 ? 'sha256' : 'sha1') !== blob.id) changed.add(file);
  }
  const listing = await listRepositoryFiles(root, { includeAllClasses: true });
  const inNestedRepository = nestedRepositoryCheck(root, gitlinks);
  for (const file of listing.files) if (!headBlobs.has(file.path) && !inNestedRepository(file.path)) changed.add(file.path);
  return changed;
}

/** Whether a path lies in a submodule of HEAD or below a folder holding a `.git` of its own (answers cached by folder). */
function nestedRepositoryCheck(root: string, gitlinks: ReadonlySet<string>): (file: string) => boolean {
  const known = new Map<string, boolean>();
  const isRepository = (dir: string): boolean => {
    let answer = known.get(dir);
    if (answer === undefined) {
      answer = gitlinks.has(dir) || lstatSync(path.join(root, dir, '.git'), { throwIfNoEntry: false }) !== undefined;
      known.set(dir, answer);
    }
    return answer;
  };
  return (file) => {
    const parts = file.split('/');
    for (let depth = 1; depth < parts.length; depth++) if (isRepository(parts.slice(0, depth).join('/'))) return true;
    return false;
  };
}

const LINK_MODE = '120000';

interface HeadBlob {
  readonly mode: string;
  readonly id: string;
}

/** `ls-tree -r -z` entries: "<mode> <type> <id>\t<path>"; submodules (commits) are not files of this repository. */
function parseTree(output: string): { blobs: Map<string, HeadBlob>; gitlinks: Set<string> } {
  const blobs = new Map<string, HeadBlob>();
  const gitlinks = new Set<string>();
  for (const entry of output.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab === -1) continue;
    const [mode, type, id] = entry.slice(0, tab).split(' ');
    if (type === 'blob' && mode && id) blobs.set(entry.slice(tab + 1), { mode, id });
    else if (type === 'commit') gitlinks.add(entry.slice(tab + 1));
  }
  return { blobs, gitlinks };
}

/**
 * The id git gives a file's content ("blob <size>\0" + bytes), or null when it
 * is gone or not a regular file: O_NOFOLLOW refuses a link, O_NONBLOCK keeps a
 * FIFO from blocking the open, fstat refuses anything but a file.
 */
function gitBlobId(absolutePath: string, algorithm: 'sha1' | 'sha256'): string | null {
  let fd: number | undefined;
  try {
    fd = openSync(absolutePath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stats = fstatSync(fd);
    if (!stats.isFile()) return null;
    const hash = createHash(algorithm).update(`blob ${stats.size}\0`);
    const buffer = Buffer.alloc(Math.min(CHUNK_BYTES, Math.max(stats.size, 1)));
    let total = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      hash.update(buffer.subarray(0, bytesRead));
    }
    // A file that grew or shrank while read is not the content its size announced: changed.
    return total === stats.size ? hash.digest('hex') : null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
