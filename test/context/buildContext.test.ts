import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildContext } from '../../workers/context/index.js';
import { copyWithShuffledMtimes, createTempDirs, numberedLines, parseContext, writeTree, type TreeSpec } from '../helpers/contextFixtures.js';

const temp = createTempDirs();
afterEach(temp.cleanup);

async function repo(spec: TreeSpec): Promise<string> {
  const dir = await temp.make();
  await writeTree(dir, spec);
  return dir;
}

const SMALL_TREE: TreeSpec = {
  'src/app.ts': numberedLines(30, 24, 'app'),
  'src/util.ts': numberedLines(8, 16, 'util'),
  'src/empty.ts': '',
  'src/no-newline.ts': 'export const last = 1;',
  'test/app.test.ts': numberedLines(12, 20, 'test'),
  'README.md': '# Title\n\nSome words.\n',
};

describe('buildContext budget', () => {
  it('never exceeds the budget, and every entry is the whole file or a head cut at a line boundary', async () => {
    // prepare
    const dir = await repo(SMALL_TREE);
    const originals = new Map(Object.entries(SMALL_TREE).map(([file, text]) => [file, String(text)]));
    const budgets = [0, 1, 10, 28, 29, 40, 64, 100, 150, 333, 500, 777, 1000, 1500, 5000];
    for (const budgetChars of budgets) {
      // act
      const context = await buildContext({ repoDir: dir, patterns: ['**/*'], budgetChars, minTruncatedChars: 1, maxFileChars: budgetChars });
      // assess
      expect(context.text.length).toBeLessThanOrEqual(budgetChars);
      expect(context.usedChars).toBe(context.text.length);
      expect(context.budgetChars).toBe(budgetChars);
      const entries = parseContext(context.text);
      expect(entries.map((entry) => entry.path)).toEqual(context.files.map((file) => file.path));
      for (const entry of entries) {
        const original = originals.get(entry.path)!;
        const normalized = original === '' || original.endsWith('\n') ? original : `${original}\n`;
        const recorded = context.files.find((file) => file.path === entry.path)!;
        expect(recorded.truncated).toBe(entry.truncated);
        expect(recorded.chars).toBe(entry.content.length);
        if (entry.truncated) {
          expect(normalized.startsWith(entry.content)).toBe(true);
          expect(entry.content.endsWith('\n')).toBe(true);
          expect(entry.content.length).toBeLessThan(normalized.length);
        } else {
          expect(entry.content).toBe(normalized);
        }
      }
    }
  });

  it('puts nothing in when the budget is smaller than the first file and its header', async () => {
    // prepare
    const dir = await repo({ 'src/only.ts': numberedLines(40) });
    // act
    const context = await buildContext({ repoDir: dir, patterns: ['**/*'], budgetChars: 20 });
    // assess
    expect(context.text).toBe('');
    expect(context.files).toEqual([]);
    expect(context.excluded).toEqual([{ path: 'src/only.ts', reason: 'budget' }]);
  });

  it('truncates a file that does not fit whole at the last line boundary that fits, and says so', async () => {
    // prepare
    const dir = await repo({ 'src/long.ts': numberedLines(100, 11) });
    const header = '==> src/long.ts <== (truncated)\n';
    // act
    const context = await buildContext({ repoDir: dir, patterns: ['**/*'], budgetChars: header.length + 60, maxFileChars: 10_000, minTruncatedChars: 10 });
    // assess
    expect(context.text).toBe(header + numberedLines(5, 11));
    expect(context.files).toEqual([{ path: 'src/long.ts', chars: 55, truncated: true, redactions: 0 }]);
  });

  it('keeps one file to its share of the budget so others still get in', async () => {
    // prepare
    const dir = await repo({ 'src/a-big.ts': numberedLines(500), 'src/b-small.ts': 'export const b = 1;\n' });
    // act
    const context = await buildContext({ repoDir: dir, patterns: ['**/*'], budgetChars: 2000 });
    // assess
    const big = context.files.find((file) => file.path === 'src/a-big.ts')!;
    expect(big.truncated).toBe(true);
    expect(big.chars).toBeLessThanOrEqual(800);
    expect(context.files.map((file) => file.path)).toContain('src/b-small.ts');
  });

  it('takes reservedChars off the space for files', async () => {
    // prepare
    const dir = await repo(SMALL_TREE);
    // act
    const full = await buildContext({ repoDir: dir, patterns: ['**/*'], budgetChars: 1000 });
    const reserved = await buildContext({ repoDir: dir, patterns: ['**/*'], budgetChars: 1000, reservedChars: 600 });
    // assess
    expect(reserved.usedChars).toBeLessThanOrEqual(400);
    expect(reserved.usedChars).toBeLessThan(full.usedChars);
    expect(reserved.budgetChars).toBe(1000);
  });

  it('excludes files over the size limit as too-large without reading them', async () => {
    // prepare: NUL bytes would make a read report 'binary'
    const dir = await repo({ 'src/huge.ts': new Uint8Array(5000), 'src/ok.ts': 'export {};\n' });
    // act
    const context = await buildContext({ repoDir: dir, patterns: ['**/*'], budgetChars: 10_000, maxFileBytes: 4096 });
    // assess
    expect(context.excluded).toEqual([{ path: 'src/huge.ts', reason: 'too-large' }]);
    expect(context.files.map((file) => file.path)).toEqual(['src/ok.ts']);
  });

  it('rejects a negative or fractional budget', async () => {
    // prepare
    const dir = await repo({ 'a.ts': 'x\n' });
    // act / assess
    await expect(buildContext({ repoDir: dir, patterns: ['**/*'], budgetChars: -1 })).rejects.toThrow(RangeError);
    await expect(buildContext({ repoDir: dir, patterns: ['**/*'], budgetChars: 1.5 })).rejects.toThrow(/budgetChars/);
  });
});

describe('buildContext exclusions', () => {
  it('respects nested .gitignore files and negations', async () => {
    // prepare
    const dir = await repo({
      '.gitignore': '*.log\n!keep.log\nsecret/\n*.tmp\n',
      'keep.log': 'kept log\n',
      'debug.log': 'ignored log\n',
      'secret/key.ts': 'export const k = 1;\n',
      'src/.gitignore': 'local-*.ts\n!important.tmp\n',
      'src/local-dev.ts': 'ignored by nested rule\n',
      'src/important.tmp': 'reincluded by nested negation\n',
      'src/other.tmp': 'ignored by root rule\n',
      'src/main.ts': 'export const main = true;\n',
    });
    // act
    const context = await buildContext({ repoDir: dir, patterns: ['**/*'], budgetChars: 10_000 });
    // assess
    const included = context.files.map((file) => file.path);
    expect(included).toEqual(expect.arrayContaining(['keep.log', 'src/important.tmp', 'src/main.ts']));
    const ignored = context.excluded.filter((entry) => entry.reason === 'gitignored').map((entry) => entry.path);
    expect(ignored).toEqual(['debug.log', 'secret/key.ts', 'src/local-dev.ts', 'src/other.tmp']);
    for (const hidden of ['ignored log', 'ignored by nested rule', 'ignored by root rule', 'const k']) expect(context.text).not.toContain(hidden);
  });

  it('skips binaries, lock files, vendored, generated files and symlinks, with their reasons, and never reads them', async () => {
    // prepare
    const outside = await temp.make('hw-outside-');
    await writeFile(path.join(outside, 'private.ts'), 'OUTSIDE_THE_WORKSPACE\n');
    const dir = await repo({
      'src/main.ts': 'export const main = 1;\n',
      'assets/logo.png': 'PNG_BY_EXTENSION\n',
      'src/data.txt': Buffer.concat([Buffer.from('BINARY_BY_CONTENT'), Buffer.alloc(64), Buffer.from('tail\n')]),
      'package-lock.json': '{"LOCKFILE_CONTENT":true}\n',
      'node_modules/lib/index.js': 'NODE_MODULES_CONTENT\n',
      // Vendored and generated by the repository's own marks, not by folder names.
      '.gitattributes': 'vendor/** linguist-vendored\n',
      'vendor/lib/lib.go': 'VENDOR_CONTENT\n',
      'dist/bundle.min.js': 'DIST_CONTENT\n',
      'src/api.pb.go': 'PB_CONTENT\n',
      'src/schema.ts': '// @generated by a tool\nGENERATED_MARKER_CONTENT\n',
      'passwd-link': { symlinkTo: '/etc/passwd' },
      'outside-link': { symlinkTo: outside },
    });
    // act
    const context = await buildContext({ repoDir: dir, patterns: ['**/*'], budgetChars: 100_000 });
    // assess
    expect(context.files.map((file) => file.path).sort()).toEqual(['.gitattributes', 'src/main.ts']);
    expect(context.excluded).toEqual([
      { path: 'assets/logo.png', reason: 'binary' },
      { path: 'dist/bundle.min.js', reason: 'generated' },
      { path: 'node_modules', reason: 'vendored' },
      { path: 'outside-link', reason: 'symlink' },
      { path: 'package-lock.json', reason: 'lockfile' },
      { path: 'passwd-link', reason: 'symlink' },
      { path: 'src/api.pb.go', reason: 'generated' },
      { path: 'src/data.txt', reason: 'binary' },
      { path: 'src/schema.ts', reason: 'generated' },
      { path: 'vendor/lib/lib.go', reason: 'vendored' },
    ]);
    // Install folders are never walked (counted above); vendored files are left out of the candidates.
    expect(context.fileList).toEqual(['.gitattributes', 'src/data.txt', 'src/main.ts', 'src/schema.ts']);
    for (const secret of ['PNG_BY', 'BINARY_BY', 'LOCKFILE', 'NODE_MODULES', 'VENDOR_CONTENT', 'DIST_CONTENT', 'PB_CONTENT', 'GENERATED_MARKER', 'OUTSIDE_THE', 'root:']) {
      expect(context.text).not.toContain(secret);
    }
  });

  it('keeps read-time reasons over budget ones when exclusions are capped', async () => {
    // prepare
    const spec: Record<string, string | Uint8Array> = { 'src/a-bin.ts': new Uint8Array(16) };
    for (let i = 0; i < 20; i++) spec[`src/f${String(i).padStart(2, '0')}.ts`] = numberedLines(10);
    const dir = await repo(spec);
    // act
    const context = await buildContext({ repoDir: dir, patterns: ['**/*'], budgetChars: 300, maxExclusions: 5 });
    // assess
    expect(context.excluded).toHaveLength(5);
    expect(context.excluded).toContainEqual({ path: 'src/a-bin.ts', reason: 'binary' });
    expect(context.excludedOmitted).toBe(21 - context.files.length - 5);
  });
});

describe('buildContext redaction', () => {
  it('redacts .env values and tokens in source before they are counted', async () => {
    // prepare
    const awsKeyId = 'AKIAZ3MRQ7VXKW5TPLN4';
    const awsSecret = 'q7Rb9xT2mK4pW8vZ1nL6sD3fH5jG0aYcE2uI9oPw';
    const githubToken = 'ghp_R8mZq2Lx7Vb4Nc9Tk1Wp5Ys3Hd6Fj0GaQe2U';
    const envPassword = 'Zr8qL2vN5t';
    const dir = await repo({
      '.env': `DATABASE_PASSWORD=${envPassword}\nSTRIPE_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc\n`,
      'src/aws.ts': `export const config = {\n  accessKeyId: '${awsKeyId}',\n  aws_secret_access_key: '${awsSecret}',\n};\n`,
      'src/github.ts': `const token = "${githubToken}";\nexport default token;\n`,
    });
    // act
    const context = await buildContext({ repoDir: dir, patterns: ['**/*'], budgetChars: 100_000 });
    // assess
    for (const secret of [awsKeyId, awsSecret, githubToken, envPassword, 'sk_live_4eC39HqLyjWDarjtT1zdp7dc']) {
      expect(context.text).not.toContain(secret);
    }
    expect(context.text).toContain('DATABASE_PASSWORD=');
    const byPath = new Map(context.files.map((file) => [file.path, file.redactions]));
    expect(byPath.get('.env')).toBe(2);
    expect(byPath.get('src/aws.ts')).toBeGreaterThanOrEqual(2);
    expect(byPath.get('src/github.ts')).toBeGreaterThanOrEqual(1);
    expect(context.redactions).toBe([...byPath.values()].reduce((sum, count) => sum + count, 0));
  });

  it('redacts a key block before a truncation cut can split it', async () => {
    // prepare
    const body = Array.from({ length: 24 }, (_, i) => `MIIEv${String(i).padStart(2, '0')}QIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7${'x'.repeat(8)}`).join('\n');
    const source = `${numberedLines(10, 30)}export const key = \`-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\`;\n${numberedLines(40, 30)}`;
    const dir = await repo({ 'src/keys.ts': source });
    // act: the cut falls in the middle of the key block
    const context = await buildContext({ repoDir: dir, patterns: ['**/*'], budgetChars: 700, maxFileChars: 700 });
    // assess
    expect(context.files[0]?.truncated).toBe(true);
    expect(context.text).not.toMatch(/MIIEv\d\d/);
    expect(context.redactions).toBeGreaterThanOrEqual(1);
  });
});

describe('buildContext determinism', () => {
  it('gives identical text and file lists for two builds and for a copy with shuffled mtimes', async () => {
    // prepare
    const spec: Record<string, string> = { 'README.md': '# r\n', 'src/auth/login.ts': numberedLines(20), 'test/login.test.ts': numberedLines(5) };
    for (let i = 0; i < 40; i++) spec[`src/mod${i % 7}/file${i}.ts`] = numberedLines(3 + (i % 5), 18, `f${i}`);
    const dir = await repo(spec);
    const copy = path.join(await temp.make('hw-copy-'), 'tree');
    await mkdir(copy);
    await copyWithShuffledMtimes(dir, copy);
    const options = { patterns: ['**/*'], budgetChars: 2500, ranking: 'source-first' as const };
    // act
    const first = await buildContext({ repoDir: dir, ...options });
    const second = await buildContext({ repoDir: dir, ...options });
    const copied = await buildContext({ repoDir: copy, ...options });
    // assess
    expect(second.text).toBe(first.text);
    expect(second.fileList).toEqual(first.fileList);
    expect(copied.text).toBe(first.text);
    expect(copied.files).toEqual(first.files);
    expect(copied.excluded).toEqual(first.excluded);
    expect(copied.fileList).toEqual(first.fileList);
    expect(first.files.length).toBeGreaterThan(3);
  });

  it('caps the file list at the most relevant paths, sorted by path', async () => {
    // prepare
    const dir = await repo({ 'README.md': 'r\n', 'src/z.ts': 'z\n', 'src/a.ts': 'a\n', 'test/a.test.ts': 't\n' });
    // act
    const context = await buildContext({ repoDir: dir, patterns: ['**/*'], budgetChars: 1000, ranking: 'source-first', fileListCap: 2 });
    // assess
    expect(context.fileList).toEqual(['src/a.ts', 'src/z.ts']);
    expect(context.candidateCount).toBe(4);
  });
});
