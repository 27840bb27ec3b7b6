import { afterEach, describe, expect, it } from 'vitest';
import { localFindingsForPrompt } from '../../workers/engine/localFindingsForPrompt.js';
import { createTempDirs, writeTree } from '../helpers/contextFixtures.js';

const temp = createTempDirs();
afterEach(temp.cleanup);

describe('localFindingsForPrompt', () => {
  it('keeps even the first characters of a flagged secret out of the list, spaces or not', async () => {
    // prepare
    const dir = await temp.make();
    await writeTree(dir, { 'src/conf.js': 'const password = "OhG0xY7qLm2Rt9Vb";\nconst dbPassword = "ab c9xY7qLm2Rt9Vb";\n' });
    // act
    const local = await localFindingsForPrompt(dir, 6_000, () => true);
    // assess
    expect(local.text).toContain('- src/conf.js lines 1, 2 password-assignment (high): Hard-coded password assigned in code or configuration\n');
    expect(local.text).not.toMatch(/OhG0|ab c|\*{4}/);
  });

  it('lists production hits within the room, counts the rest, and leaves secret values out', async () => {
    // prepare: eval in 30 production files, three times in one more, once in a test, and a committed password
    const dir = await temp.make();
    const files: Record<string, string> = { 'src/many.js': 'eval(a);\neval(b);\neval(c);\n', 'test/run.test.js': 'eval(x);\n', 'config/db.yml': 'password: Zx9vQ2mLp8rT4wYk\n' };
    for (let i = 0; i < 30; i++) files[`src/run${i}.js`] = `eval(input${i});\n`;
    await writeTree(dir, files);
    // act
    const local = await localFindingsForPrompt(dir, 900, () => true);
    // assess
    expect(local.text.length).toBeLessThanOrEqual(900);
    const listed = local.text.split('\n').filter((line) => line.startsWith('- '));
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.length).toBeLessThan(32);
    expect(local.text).toMatch(/34 in production code, \d+ listed, \d+ not listed for room; 1 in tests, docs, examples or translations not listed/);
    expect(local.text).toContain('- src/many.js lines 1, 2, 3 js-eval (high)');
    expect(local.text).not.toContain('Zx9v');
    const listedCount = Number(/(\d+) listed/.exec(local.text)![1]);
    expect([...local.hits.values()].flat().length).toBe(listedCount);
    expect(local.note).toContain('34 in production code');
    expect(local.counts).toEqual({ production: 34, listed: listedCount, notListed: 34 - listedCount, elsewhere: 1 });
  });

  it('adds nothing to the prompt when only tests are flagged, and says so in the note', async () => {
    // prepare
    const dir = await temp.make();
    await writeTree(dir, { 'src/math.js': 'export const double = (x) => x * 2;\n', 'test/math.test.js': 'eval(x);\n' });
    // act
    const local = await localFindingsForPrompt(dir, 6_000, () => true);
    // assess
    expect(local.text).toBe('');
    expect(local.hits.size).toBe(0);
    expect(local.note).toBe('local audit: no finding in production code to check (1 in tests, docs, examples or translations)');
    expect(local.counts).toEqual({ production: 0, listed: 0, notListed: 0, elsewhere: 1 });
  });
});
