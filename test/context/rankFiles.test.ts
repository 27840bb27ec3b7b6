import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildContext, rankFiles, rankingForWorker } from '../../workers/context/index.js';
import { commitAll, createTempDirs, git, setMtime, writeTree } from '../helpers/contextFixtures.js';

const temp = createTempDirs();
afterEach(temp.cleanup);

const paths = (list: readonly string[]) => list.map((p) => ({ path: p }));
const order = (list: readonly { path: string }[]) => list.map((file) => file.path);

describe('rankFiles', () => {
  it('source-first: source, tests, config, docs, examples; security-relevant and entry-point names first within each', () => {
    // prepare
    const files = paths([
      'README.md',
      'examples/demo.ts',
      'package.json',
      'src/auth/login.ts',
      'src/index.ts',
      'src/utils/strings.ts',
      'src/routes/users.ts',
      'test/auth.test.ts',
      'src/utils/strings.test.ts',
      '.env',
      'tsconfig.json',
    ]);
    // act
    const ranked = rankFiles(files, { strategy: 'source-first' });
    // assess
    expect(order(ranked)).toEqual([
      'src/auth/login.ts',
      'src/index.ts',
      'src/routes/users.ts',
      'src/utils/strings.ts',
      'test/auth.test.ts',
      'src/utils/strings.test.ts',
      '.env',
      'package.json',
      'tsconfig.json',
      'README.md',
      'examples/demo.ts',
    ]);
  });

  it('tests-and-source: each source is followed by its tests, unpaired tests and the rest come after', () => {
    // prepare
    const files = paths([
      'README.md',
      'src/auth/session.ts',
      'src/billing/session.ts',
      'src/cart.ts',
      'src/payments/invoice.py',
      'tests/payments/test_invoice.py',
      'test/auth/session.test.ts',
      'test/cart.spec.ts',
      'test/helpers.ts',
    ]);
    // act
    const ranked = rankFiles(files, { strategy: 'tests-and-source' });
    // assess
    expect(order(ranked)).toEqual([
      'src/auth/session.ts',
      'test/auth/session.test.ts',
      'src/billing/session.ts',
      'src/cart.ts',
      'test/cart.spec.ts',
      'src/payments/invoice.py',
      'tests/payments/test_invoice.py',
      'test/helpers.ts',
      'README.md',
    ]);
  });

  it('docs-first: the root README, other docs, then entry points and source, config, tests', () => {
    // prepare
    const files = paths(['src/util.ts', 'test/a.test.ts', 'docs/guide.md', 'packages/x/README.md', 'README.md', 'package.json', 'src/index.ts']);
    // act
    const ranked = rankFiles(files, { strategy: 'docs-first' });
    // assess
    expect(order(ranked)).toEqual(['README.md', 'packages/x/README.md', 'docs/guide.md', 'src/index.ts', 'src/util.ts', 'package.json', 'test/a.test.ts']);
  });

  it('recent-first: newest commit first, then files outside history in default order', () => {
    // prepare
    const files = paths(['README.md', 'src/a.ts', 'src/b.ts', 'src/c.ts', 'test/c.test.ts']);
    const recency = new Map([
      ['src/b.ts', 2_000],
      ['README.md', 3_000],
      ['src/c.ts', 1_000],
    ]);
    // act
    const ranked = rankFiles(files, { strategy: 'recent-first', recency });
    // assess
    expect(order(ranked)).toEqual(['README.md', 'src/b.ts', 'src/c.ts', 'src/a.ts', 'test/c.test.ts']);
  });

  it('uses recency as the tiebreaker within a role, and path order without history', () => {
    // prepare
    const files = paths(['src/b.ts', 'src/a.ts', 'src/c.ts']);
    // act
    const withHistory = rankFiles(files, { strategy: 'default', recency: new Map([['src/c.ts', 5]]) });
    const withoutHistory = rankFiles(files);
    // assess
    expect(order(withHistory)).toEqual(['src/c.ts', 'src/a.ts', 'src/b.ts']);
    expect(order(withoutHistory)).toEqual(['src/a.ts', 'src/b.ts', 'src/c.ts']);
  });

  it('gives the same order whatever the input order', () => {
    // prepare
    const list = ['z.md', 'src/Z.ts', 'src/a.ts', 'src/é.ts', 'src/auth.ts', 'test/a.test.ts', 'lib/main.go', 'Makefile'];
    const reversed = [...list].reverse();
    // act / assess
    for (const strategy of ['default', 'source-first', 'tests-and-source', 'docs-first', 'recent-first'] as const) {
      expect(order(rankFiles(paths(list), { strategy }))).toEqual(order(rankFiles(paths(reversed), { strategy })));
    }
  });

  it('maps workers to the ranking that fits their question', () => {
    // act / assess
    expect(rankingForWorker('audit')).toBe('security');
    expect(rankingForWorker('testgaps')).toBe('tests-and-source');
    expect(rankingForWorker('document')).toBe('docs-first');
    expect(rankingForWorker('refactor')).toBe('default');
    expect(rankingForWorker('toString')).toBe('default');
  });
});

describe('ranking with git history', () => {
  it('puts the most recently committed file first under recent-first, whatever the mtimes say', async () => {
    // prepare
    const dir = await temp.make();
    await writeTree(dir, { 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 1;\n', 'src/c.ts': 'export const c = 1;\n' });
    git(dir, ['init', '-q']);
    commitAll(dir, 'initial', 1_600_000_000);
    await writeTree(dir, { 'src/c.ts': 'export const c = 2;\n' });
    commitAll(dir, 'change c', 1_700_000_000);
    await writeTree(dir, { 'src/a.ts': 'export const a = 2;\n' });
    commitAll(dir, 'change a', 1_650_000_000);
    // The file changed most recently in git is the oldest on disk.
    await setMtime(path.join(dir, 'src/c.ts'), 1_000_000_000);
    await setMtime(path.join(dir, 'src/b.ts'), 1_750_000_000);
    // act
    const context = await buildContext({ repoDir: dir, patterns: ['src/**'], budgetChars: 10_000, ranking: 'recent-first' });
    // assess
    expect(context.files.map((file) => file.path)).toEqual(['src/c.ts', 'src/a.ts', 'src/b.ts']);
    expect(context.text.startsWith('==> src/c.ts <==\nexport const c = 2;\n')).toBe(true);
  });
});
