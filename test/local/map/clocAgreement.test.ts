import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runMap, type LanguageSummary, type RepositoryMap } from '../../../workers/local/map/index.js';
import { PROJECT_ROOT } from '../../helpers/cliProcess.js';
import { createTempDirs, git, writeTree, type TreeSpec } from '../../helpers/contextFixtures.js';
import { multiLanguageTree } from '../../helpers/multiLanguageTree.js';
import { generatedClocTree, mapFixtureTree } from '../../helpers/sourceTreeFixtures.js';

const temp = createTempDirs();
afterEach(() => temp.cleanup());

const JUICE_SHOP = path.resolve(PROJECT_ROOT, '../shared/corpora/juice-shop.tar.gz');
const juiceShopPresent = existsSync(JUICE_SHOP);
if (!juiceShopPresent) console.warn(`skipped: ${JUICE_SHOP} is not here (the map's agreement with cloc on Juice Shop needs it)`);

/** Reasons for which the map leaves a file out by design (cloc would count it); unknown and empty files are cloc's own verdict. */
const BY_DESIGN = new Set(['binary', 'lockfile', 'vendored', 'generated', 'gitignored', 'too-large']);

/** Every regular file under root, relative, but git's own directory. */
function everyFile(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name)).split(path.sep).join('/'))
    .filter((file) => file !== '.git' && !file.startsWith('.git/'));
}

/**
 * Runs the real cloc on the files the map considered: every file of the tree
 * but those the map leaves out by design (ignored, generated, vendored, lock,
 * binary), which the map names in its accounting. cloc then decides itself
 * which of them are code, and how many lines of each kind they hold.
 */
function clocOnConsideredFiles(root: string, map: RepositoryMap, listFile: string): Record<string, LanguageSummary> {
  const leftOut = new Set(map.accounting.notCounted.filter((group) => BY_DESIGN.has(group.reason)).flatMap((group) => group.paths));
  const considered = everyFile(root).filter((file) => !leftOut.has(file));
  writeFileSync(listFile, considered.map((file) => path.join(root, file)).join('\n') + '\n');
  const output = execFileSync('cloc', [`--list-file=${listFile}`, '--json', '--skip-uniqueness', '--quiet', '--timeout=0'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const parsed = JSON.parse(output) as Record<string, { nFiles: number; blank: number; comment: number; code: number }>;
  return Object.fromEntries(
    Object.entries(parsed)
      .filter(([key]) => key !== 'header' && key !== 'SUM')
      .map(([language, totals]) => [language, { language, files: totals.nFiles, blank: totals.blank, comment: totals.comment, code: totals.code }]),
  );
}

async function gitRepoWith(tree: TreeSpec): Promise<string> {
  const repo = await temp.make('hw-cloc-');
  await writeTree(repo, tree);
  git(repo, ['init', '-q']);
  git(repo, ['add', '-A']);
  return repo;
}

/** The map's language table equals cloc's, language by language, and every file of the tree is accounted for once. */
async function expectAgreement(root: string): Promise<RepositoryMap> {
  const map = await runMap(root);
  const cloc = clocOnConsideredFiles(root, map, path.join(await temp.make('hw-cloc-list-'), 'files.txt'));
  const byName = Object.fromEntries(map.languages.map((language) => [language.language, language]));
  expect(byName).toEqual(cloc);
  expect(map.accounting.seen).toBe(everyFile(root).length);
  expect(map.accounting.counted).toBe(map.languages.reduce((sum, language) => sum + language.files, 0));
  return map;
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

    // Act and assess
    await expectAgreement(repo);
  });

  it('agrees per language on a generated tree of 240 files', async () => {
    // Prepare
    const repo = await gitRepoWith(generatedClocTree(40));

    // Act and assess
    await expectAgreement(repo);
  });

  it('agrees per language on a tree of 48 languages beyond the usual few (Perl, Tcl, CMake, PO, AsciiDoc, Vue, Lua, Solidity, Pug, Batch, PowerShell...)', async () => {
    // Prepare
    const repo = await gitRepoWith(multiLanguageTree(3));

    // Act
    const map = await expectAgreement(repo);

    // Assess: the languages of issue 16 are all there, and the files cloc leaves out are listed with cloc's reason.
    const names = map.languages.map((language) => language.language);
    for (const name of ['Perl', 'Tcl/Tk', 'CMake', 'PO File', 'AsciiDoc', 'Vuejs Component', 'Lua', 'Solidity', 'Pug', 'DOS Batch', 'PowerShell', 'Prolog', 'C#', 'Meson', 'm4', 'zsh', 'XSLT', 'Handlebars', 'SVG', 'CSV',
      // Extensions cloc decides by content, and languages with comment routines of their own.
      'Objective-C', 'MATLAB', 'Julia', 'Verilog-SystemVerilog', 'F#', 'Gradle', 'Groovy', 'Fortran 90', 'Fortran 77', 'OCaml', 'Elixir', 'Jupyter Notebook', 'Haskell', 'Elm', 'Puppet', 'Pascal', 'PHP', 'D', 'JSP', 'Grails', 'Velocity Template Language']) {
      expect(names).toContain(name);
    }
    const reasons = Object.fromEntries(map.accounting.notCounted.map((group) => [`${group.reason}: ${group.detail}`, group.paths]));
    expect(reasons['unknown: cloc never counts files named README']).toEqual(['copy0/README', 'copy1/README', 'copy2/README']);
    expect(reasons['unknown: cloc never counts .in files']).toHaveLength(3);
    expect(reasons["binary: text to git, binary to cloc (Perl's -B test: mostly non-UTF-8 bytes)"]).toEqual(['copy0/docs/latin1.txt', 'copy1/docs/latin1.txt', 'copy2/docs/latin1.txt']);
    expect(reasons['empty: empty (cloc counts nothing in it)']).toHaveLength(3);
  });

  it.skipIf(!juiceShopPresent)('agrees per language on Juice Shop (its ignored files left out, by design, and listed)', async () => {
    // Prepare
    const work = await temp.make('hw-cloc-juice-');
    execFileSync('tar', ['-xzf', JUICE_SHOP, '-C', work]);
    const repo = path.join(work, 'repo');

    // Act
    const map = await expectAgreement(repo);

    // Assess: the languages the hand-written table missed (issue 16) are counted.
    const names = map.languages.map((language) => language.language);
    for (const name of ['Solidity', 'Pug', 'Handlebars', 'SVG', 'CSV']) expect(names).toContain(name);
    expect(map.accounting.notCounted.find((group) => group.reason === 'gitignored')?.files).toBeGreaterThan(0);
  }, 120_000);
});
