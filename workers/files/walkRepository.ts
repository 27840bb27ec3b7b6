import { readdirSync, type Dirent } from 'node:fs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/** One entry of a repository walk: a file, directory, link or other, found without opening it. */
export interface WalkedEntry {
  /** Path relative to the root, with forward slashes. */
  readonly path: string;
  /** What the directory listing says the entry is (a link is never resolved). */
  readonly dirent: Pick<Dirent, 'isFile' | 'isDirectory' | 'isSymbolicLink'>;
}

/** Directories read between two turns of the event loop. */
const DIRECTORIES_PER_TURN = 256;

/**
 * Lists every entry under `root` exactly as fast-glob's `**\/*` does with
 * `dot`, `onlyFiles: false`, `followSymbolicLinks: false`, `suppressErrors`
 * and an ignore pattern `**\/<name>/**` per skipped name: links are listed,
 * never followed; an unreadable directory is skipped silently; an entry whose
 * name is skipped is left out with everything under it (a `.git` file of a
 * submodule as well as a `.git` directory). A plain recursive readdir, because
 * loading fast-glob and matching every path against its patterns costs more
 * than the walk itself.
 *
 * @example const entries = await walkRepository('/work/repo', new Set(['.git', 'node_modules']));
 */
export async function walkRepository(root: string, skipNames: ReadonlySet<string>): Promise<WalkedEntry[]> {
  const entries: WalkedEntry[] = [];
  const pending = [''];
  for (let read = 0; pending.length > 0; read++) {
    if (read > 0 && read % DIRECTORIES_PER_TURN === 0) await yieldToEventLoop();
    const directory = pending.pop()!;
    let dirents: Dirent[];
    try {
      dirents = readdirSync(directory === '' ? root : `${root}/${directory}`, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const dirent of dirents) {
      if (skipNames.has(dirent.name)) continue;
      const path = directory === '' ? dirent.name : `${directory}/${dirent.name}`;
      entries.push({ path, dirent });
      if (dirent.isDirectory()) pending.push(path);
    }
  }
  return entries;
}
