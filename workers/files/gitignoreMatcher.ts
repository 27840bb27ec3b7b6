import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Ignore } from 'ignore';

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
    const exclude = await readFile(path.join(repoDir, '.git', 'info', 'exclude'), 'utf8').catch(() => '');
    if (exclude.trim()) texts.push(['', exclude]);
    for (const file of ignoreFiles.sort()) {
      const text = await readFile(path.join(repoDir, file), 'utf8').catch(() => '');
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

  /** True when git would ignore `relativePath` (posix, relative to the repo root). */
  ignores(relativePath: string): boolean {
    if (this.rulesByDir.size === 0) return false;
    let ignored = false;
    const segments = relativePath.split('/');
    for (let depth = 0; depth < segments.length; depth++) {
      const dir = segments.slice(0, depth).join('/');
      const rules = this.rulesByDir.get(dir);
      if (!rules) continue;
      const result = rules.test(segments.slice(depth).join('/'));
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }
}
