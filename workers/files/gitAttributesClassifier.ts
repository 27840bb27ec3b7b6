import path from 'node:path';
import type { Ignore } from 'ignore';
import { readTextHead } from './readTextHead.js';

/** A `.gitattributes` larger than this is read up to here: real ones are a few KB. */
const MAX_ATTRIBUTES_FILE_BYTES = 256 * 1024;

/** What the repository's `.gitattributes` say a file is, by GitHub Linguist's attributes. */
export type AttributeClass = 'generated' | 'vendored';

interface AttributeRule {
  readonly matcher: Ignore;
  readonly generated?: boolean;
  readonly vendored?: boolean;
}

/** `linguist-generated`, `linguist-generated=true`, `-linguist-generated`, `linguist-generated=false`, `!linguist-generated`. */
function attributeValue(tokens: readonly string[], name: string): boolean | undefined {
  let value: boolean | undefined;
  for (const token of tokens) {
    if (token === name || token === `${name}=true` || token === `${name}=1`) value = true;
    else if (token === `-${name}` || token === `!${name}` || token === `${name}=false` || token === `${name}=0`) value = false;
  }
  return value;
}

/**
 * Answers "do the repository's `.gitattributes` mark this file generated or
 * vendored?" (`linguist-generated`, `linguist-vendored`), the way GitHub
 * decides what to fold in a diff and leave out of language statistics. The
 * files are data: read without following a link or blocking, attributes other
 * than these two are never looked at, and no git runs. Later lines win over
 * earlier ones and deeper files over shallower ones, as in git. Patterns are
 * matched with gitignore rules (the `ignore` package), which git documents as
 * the same except that a directory pattern also covers what is under it here.
 *
 * @example (await GitAttributesClassifier.load('/work/repo', ['.gitattributes'])).classify('web/app.min.js') // 'generated'
 */
export class GitAttributesClassifier {
  private constructor(private readonly rulesByDir: ReadonlyMap<string, readonly AttributeRule[]>) {}

  /** Reads the given `.gitattributes` files (paths relative to `repoDir`). */
  static async load(repoDir: string, attributeFiles: readonly string[]): Promise<GitAttributesClassifier> {
    const rulesByDir = new Map<string, AttributeRule[]>();
    if (attributeFiles.length === 0) return new GitAttributesClassifier(rulesByDir);
    const { default: ignore } = await import('ignore');
    for (const file of [...attributeFiles].sort()) {
      const read = await readTextHead(path.join(repoDir, file), MAX_ATTRIBUTES_FILE_BYTES);
      if (read.kind !== 'text') continue;
      const dir = path.posix.dirname(file);
      const rules: AttributeRule[] = [];
      for (const rawLine of read.text.split(/\r?\n/)) {
        const line = rawLine.trim();
        // Quoted patterns and macros ([attr]) are rare and never carry these attributes.
        if (!line || line.startsWith('#') || line.startsWith('"') || line.startsWith('[attr]')) continue;
        const [pattern, ...tokens] = line.split(/\s+/);
        if (!pattern || pattern.startsWith('!')) continue;
        const generated = attributeValue(tokens, 'linguist-generated');
        const vendored = attributeValue(tokens, 'linguist-vendored');
        if (generated === undefined && vendored === undefined) continue;
        rules.push({ matcher: ignore().add(pattern), ...(generated !== undefined ? { generated } : {}), ...(vendored !== undefined ? { vendored } : {}) });
      }
      if (rules.length > 0) rulesByDir.set(dir === '.' ? '' : dir, rules);
    }
    return new GitAttributesClassifier(rulesByDir);
  }

  /** `generated`, `vendored` or null for a repository-relative posix path. */
  classify(relativePath: string): AttributeClass | null {
    if (this.rulesByDir.size === 0) return null;
    let generated = false;
    let vendored = false;
    const segments = relativePath.split('/');
    for (let depth = 0; depth < segments.length; depth++) {
      const rules = this.rulesByDir.get(segments.slice(0, depth).join('/'));
      if (!rules) continue;
      const below = segments.slice(depth).join('/');
      for (const rule of rules) {
        if (!rule.matcher.ignores(below)) continue;
        if (rule.generated !== undefined) generated = rule.generated;
        if (rule.vendored !== undefined) vendored = rule.vendored;
      }
    }
    return generated ? 'generated' : vendored ? 'vendored' : null;
  }
}
