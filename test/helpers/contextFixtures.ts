import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A file's content, or a symbolic link to create instead. */
export type TreeEntry = string | Uint8Array | { readonly symlinkTo: string };

/** Repository-relative path → entry. */
export type TreeSpec = Readonly<Record<string, TreeEntry>>;

/**
 * Temporary directories made by one test file, removed together after each
 * test so no tree outlives the test that built it.
 */
export function createTempDirs(): { make: (prefix?: string) => Promise<string>; cleanup: () => Promise<void> } {
  const made: string[] = [];
  return {
    async make(prefix = 'hw-context-') {
      const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    async cleanup() {
      await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

/** Writes a tree of files and links under `root`, creating directories as needed. */
export async function writeTree(root: string, spec: TreeSpec): Promise<void> {
  for (const [relativePath, entry] of Object.entries(spec)) {
    const target = path.join(root, relativePath);
    await mkdir(path.dirname(target), { recursive: true });
    if (typeof entry === 'object' && 'symlinkTo' in entry) await symlink(entry.symlinkTo, target);
    else await writeFile(target, entry);
  }
}

/** `count` numbered lines padded to `width` characters (newline included); longer when the label is. */
export function numberedLines(count: number, width = 20, prefix = 'line'): string {
  let text = '';
  for (let i = 1; i <= count; i++) {
    const label = `${prefix} ${String(i).padStart(5, '0')}`;
    text += `${label.padEnd(width - 1, '.')}\n`;
  }
  return text;
}

/** Git isolated from the machine's and user's config, so tests behave the same everywhere. */
const GIT_ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' };

/** Runs git in `dir` with a fixed identity, no signing, and optional extra environment. */
export function git(dir: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args],
    { cwd: dir, env: { ...process.env, ...GIT_ENV, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** Stages everything and commits it at `epochSeconds` (author and committer dates). */
export function commitAll(dir: string, message: string, epochSeconds: number): void {
  const date = `@${epochSeconds} +0000`;
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--allow-empty', '-m', message], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
}

/**
 * Copies a tree (links kept as links) and gives every file a random mtime,
 * as a fresh checkout would: a deterministic builder must not notice.
 */
export async function copyWithShuffledMtimes(source: string, destination: string): Promise<void> {
  await cp(source, destination, { recursive: true, verbatimSymlinks: true });
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await visit(full);
      else if (entry.isFile()) {
        const seconds = 1_000_000_000 + Math.floor(Math.random() * 700_000_000);
        await utimes(full, seconds, seconds);
      }
    }
  };
  await visit(destination);
}

/** Sets a file's mtime (and atime) to `epochSeconds`. */
export async function setMtime(filePath: string, epochSeconds: number): Promise<void> {
  await utimes(filePath, epochSeconds, epochSeconds);
}

export interface ParsedEntry {
  readonly path: string;
  readonly truncated: boolean;
  readonly content: string;
}

const HEADER = /^==> (.*) <==( \(truncated\))?\n/gm;

/**
 * Splits a built context back into its entries, to check each one against
 * the file it came from. Assumes no file content has a line that looks like a header.
 */
export function parseContext(text: string): ParsedEntry[] {
  const headers = [...text.matchAll(HEADER)];
  return headers.map((match, i) => {
    const start = match.index + match[0].length;
    const next = headers[i + 1];
    // The entry separator is one newline before the next header.
    const end = next ? next.index - 1 : text.length;
    return { path: match[1] ?? '', truncated: match[2] !== undefined, content: text.slice(start, end) };
  });
}
