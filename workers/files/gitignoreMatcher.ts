import path from 'node:path';
import type { Ignore } from 'ignore';
import { readTextHead } from './readTextHead.js';

/** An ignore file larger than this is read up to here: git's own rules files are a few KB. */
const MAX_IGNORE_FILE_BYTES = 1024 * 1024;

/**
 * The text of an ignore file, or '' when it is missing, unreadable, binary or
 * not a regular file: opened without following a link and without blocking,
 * so a FIFO at `.git/info/exclude` or named `.gitignore` cannot hang a run.
 */
async function readIgnoreFile(absolutePath: string): Promise<string> {
  const read = await readTextHead(absolutePath, MAX_IGNORE_FILE_BYTES);
  return read.kind === 'text' ? read.text : '';
}

/**
 * Answers "would git ignore this path?" for a working tree, from every
 * `.gitignore` in it plus `.git/info/exclude`, with git's precedence: a deeper
 * file's rule (including a `!` re-include) wins over a shallower one.
 */
export class GitignoreMatcher {
  private constructor(private readonly rulesByDir: ReadonlyMap<string, Ignore>) {}

  /**
   * Reads the ignore files of `repoDir`, skipping directories in `skipDirs`.
   * A caller that has walked the tree already passes the `.gitignore` files it
   * found (relative paths) and saves a second walk. fast-glob and ignore are
   * loaded only when needed: their loading is a good part of a small map's time.
   */
  static async load(repoDir: string, skipDirs: readonly string[], knownIgnoreFiles?: readonly string[]): Promise<GitignoreMatcher> {
    const ignoreFiles = knownIgnoreFiles
      ? [...knownIgnoreFiles]
      : await (await import('fast-glob')).default(['**/.gitignore'], {
          cwd: repoDir,
          dot: true,
          followSymbolicLinks: false,
          ignore: skipDirs.map((dir) => `**/${dir}/**`),
          suppressErrors: true,
        });
    // [directory, rules text], the exclude file first, then by path.
    const texts: [string, string][] = [];
    const exclude = await readIgnoreFile(path.join(repoDir, '.git', 'info', 'exclude'));
    if (exclude.trim()) texts.push(['', exclude]);
    for (const file of ignoreFiles.sort()) {
      const text = await readIgnoreFile(path.join(repoDir, file));
      if (!text.trim()) continue;
      const dir = path.posix.dirname(file);
      texts.push([dir === '.' ? '' : dir, text]);
    }
    const rulesByDir = new Map<string, Ignore>();
    if (texts.length > 0) {
      const { default: ignore } = await import('ignore');
      for (const [dir, text] of texts) rulesByDir.set(dir, (rulesByDir.get(dir) ?? ignore()).add(text));
    }
    return new GitignoreMatcher(rulesByDir);
  }

  /**
   * True when git would ignore `relativePath` (posix, relative to the repo
   * root); `isDirectory` lets directory-only rules (`build/`) match it.
   */
  ignores(relativePath: string, isDirectory = false): boolean {
    if (this.rulesByDir.size === 0) return false;
    let ignored = false;
    const segments = relativePath.split('/');
    const suffix = isDirectory ? '/' : '';
    for (let depth = 0; depth < segments.length; depth++) {
      const dir = segments.slice(0, depth).join('/');
      const rules = this.rulesByDir.get(dir);
      if (!rules) continue;
      const result = rules.test(`${segments.slice(depth).join('/')}${suffix}`);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }
}
