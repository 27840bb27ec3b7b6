import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import ignore, { type Ignore } from 'ignore';

/**
 * Answers "would git ignore this path?" for a working tree, from every
 * `.gitignore` in it plus `.git/info/exclude`, with git's precedence: a deeper
 * file's rule (including a `!` re-include) wins over a shallower one.
 */
export class GitignoreMatcher {
  private constructor(private readonly rulesByDir: ReadonlyMap<string, Ignore>) {}

  /** Reads the ignore files of `repoDir`, skipping directories in `skipDirs`. */
  static async load(repoDir: string, skipDirs: readonly string[]): Promise<GitignoreMatcher> {
    const ignoreFiles = await fg(['**/.gitignore'], {
      cwd: repoDir,
      dot: true,
      followSymbolicLinks: false,
      ignore: skipDirs.map((dir) => `**/${dir}/**`),
      suppressErrors: true,
    });
    const rulesByDir = new Map<string, Ignore>();
    const exclude = await readFile(path.join(repoDir, '.git', 'info', 'exclude'), 'utf8').catch(() => '');
    if (exclude.trim()) rulesByDir.set('', ignore().add(exclude));
    for (const file of ignoreFiles.sort()) {
      const text = await readFile(path.join(repoDir, file), 'utf8').catch(() => '');
      if (!text.trim()) continue;
      const dir = path.posix.dirname(file);
      const key = dir === '.' ? '' : dir;
      const existing = rulesByDir.get(key);
      rulesByDir.set(key, (existing ?? ignore()).add(text));
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
