import { execFileSync } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runMap, type LanguageSummary } from '../../../workers/local/map/index.js';
import { createTempDirs, git, writeTree, type TreeSpec } from '../../helpers/contextFixtures.js';
import { generatedClocTree, mapFixtureTree } from '../../helpers/sourceTreeFixtures.js';

const temp = createTempDirs();
afterEach(() => temp.cleanup());

interface ClocLanguage {
  readonly nFiles: number;
  readonly blank: number;
  readonly comment: number;
  readonly code: number;
}

/** Runs the real cloc over the files git tracks (ignored files stay out, as in the map). */
function clocByLanguage(repo: string): Record<string, ClocLanguage> {
  const output = execFileSync('cloc', ['--vcs=git', '--json', '--skip-uniqueness', '--quiet'], { cwd: repo, encoding: 'utf8' });
  const parsed = JSON.parse(output) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(parsed).filter(([key]) => key !== 'header' && key !== 'SUM')) as Record<string, ClocLanguage>;
}

async function gitRepoWith(tree: TreeSpec): Promise<string> {
  const repo = await temp.make('hw-cloc-');
  await writeTree(repo, tree);
  git(repo, ['init', '-q']);
  git(repo, ['add', '-A']);
  return repo;
}

/** Within 1% of cloc's figure (exact when cloc says 0). */
function expectClose(actual: number, expected: number, label: string): void {
  expect(Math.abs(actual - expected), `${label}: map ${actual}, cloc ${expected}`).toBeLessThanOrEqual(expected * 0.01);
}

function expectAgreement(languages: readonly LanguageSummary[], cloc: Record<string, ClocLanguage>): void {
  expect(languages.map((language) => language.language).sort()).toEqual(Object.keys(cloc).sort());
  for (const language of languages) {
    const reference = cloc[language.language]!;
    expect(language.files, `${language.language} files`).toBe(reference.nFiles);
    expectClose(language.code, reference.code, `${language.language} code`);
    expectClose(language.comment, reference.comment, `${language.language} comment`);
    expectClose(language.blank, reference.blank, `${language.language} blank`);
  }
}

describe('runMap against the real cloc', () => {
  beforeAll(() => {
    try {
      execFileSync('cloc', ['--version'], { stdio: 'ignore' });
    } catch {
      throw new Error('cloc is not installed: this test compares with the real cloc (apt-get install -y cloc)');
    }
  });

  it('agrees per language on the hand-counted fixture tree', async () => {
    // Prepare
    const repo = await gitRepoWith(mapFixtureTree());
    const cloc = clocByLanguage(repo);

    // Act
    const map = await runMap(repo);

    // Assess
    expectAgreement(map.languages, cloc);
  });

  it('agrees per language on a generated tree of 240 files', async () => {
    // Prepare
    const repo = await gitRepoWith(generatedClocTree(40));
    const cloc = clocByLanguage(repo);

    // Act
    const map = await runMap(repo);

    // Assess
    expectAgreement(map.languages, cloc);
  });
});
