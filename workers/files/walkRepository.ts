import { readdirSync, type Dirent } from 'node:fs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/** One entry of a repository walk: a file, directory, link or other, found without opening it. */
export interface WalkedEntry {
  /** Path relative to the root, with forward slashes. */
  readonly path: string;
  /** What the directory listing says the entry is (a link is never resolved). */
  readonly dirent: Pick<Dirent, 'isFile' | 'isDirectory' | 'isSymbolicLink'>;
}

/** A directory the walk could not or would not enter, so its files were never seen. */
export interface WalkSkip {
  readonly path: string;
  /** `too-deep`: beyond the depth limit; `unreadable`: readdir failed (EACCES, ENAMETOOLONG...). */
  readonly reason: 'too-deep' | 'unreadable';
}

export interface RepositoryWalk {
  readonly entries: WalkedEntry[];
  /** Directories left unwalked, with the reason: a caller reports them instead of losing them silently. */
  readonly skipped: WalkSkip[];
  /** Entries left out because their name is in `skipNames` (with everything under them), so a caller can count them. */
  readonly leftOut: WalkedEntry[];
}

/**
 * Directory levels walked below the root. A path 256 levels deep is at least
 * 512 characters; real trees stay far below, and a planted tree 10,000 levels
 * deep is reported (`too-deep`) rather than walked until the path no longer
 * fits in PATH_MAX and the directory vanishes without a word.
 */
export const MAX_WALK_DEPTH = 256;

/** Directories read between two turns of the event loop. */
const DIRECTORIES_PER_TURN = 256;

/**
 * Lists every entry under `root` exactly as fast-glob's `**\/*` does with
 * `dot`, `onlyFiles: false`, `followSymbolicLinks: false` and an ignore
 * pattern `**\/<name>/**` per skipped name: links are listed, never followed;
 * an entry whose name is skipped is left out with everything under it (a
 * `.git` file of a submodule as well as a `.git` directory). Unlike fast-glob
 * with `suppressErrors`, a directory that cannot be read, or lies deeper than
 * `maxDepth`, is returned in `skipped` with the reason. A plain recursive
 * readdir, because loading fast-glob and matching every path against its
 * patterns costs more than the walk itself.
 *
 * @example const { entries, skipped } = await walkRepository('/work/repo', new Set(['.git', 'node_modules']));
 */
export async function walkRepository(root: string, skipNames: ReadonlySet<string>, maxDepth: number = MAX_WALK_DEPTH): Promise<RepositoryWalk> {
  const entries: WalkedEntry[] = [];
  const skipped: WalkSkip[] = [];
  const leftOut: WalkedEntry[] = [];
  const pending: { path: string; depth: number }[] = [{ path: '', depth: 0 }];
  for (let read = 0; pending.length > 0; read++) {
    if (read > 0 && read % DIRECTORIES_PER_TURN === 0) await yieldToEventLoop();
    const directory = pending.pop()!;
    let dirents: Dirent[];
    try {
      dirents = readdirSync(directory.path === '' ? root : `${root}/${directory.path}`, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A missing root is an empty listing, as fast-glob gives; anything else is reported.
      if (directory.path === '' && code === 'ENOENT') continue;
      skipped.push({ path: directory.path === '' ? '.' : directory.path, reason: code === 'ENAMETOOLONG' ? 'too-deep' : 'unreadable' });
      continue;
    }
    for (const dirent of dirents) {
      const path = directory.path === '' ? dirent.name : `${directory.path}/${dirent.name}`;
      if (skipNames.has(dirent.name)) {
        leftOut.push({ path, dirent });
        continue;
      }
      entries.push({ path, dirent });
      if (!dirent.isDirectory()) continue;
      if (directory.depth + 1 >= maxDepth) skipped.push({ path, reason: 'too-deep' });
      else pending.push({ path, depth: directory.depth + 1 });
    }
  }
  return { entries, skipped, leftOut };
}
