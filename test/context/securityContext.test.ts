import { afterEach, describe, expect, it } from 'vitest';
import { BUILTIN_WORKERS } from '../../workers/catalog/index.js';
import { buildContext } from '../../workers/context/index.js';
import { cutRegions } from '../../workers/context/cutRegions.js';
import { fileRelevance } from '../../workers/context/fileRelevance.js';
import { signalLines } from '../../workers/context/relevanceSignals.js';
import { createTempDirs, writeTree } from '../helpers/contextFixtures.js';

const temp = createTempDirs();
afterEach(temp.cleanup);

/** `count` lines of harmless code. */
const filler = (count: number, word = 'value'): string => Array.from({ length: count }, (_, i) => `const ${word}${i} = ${i} * 2; // arithmetic only\n`).join('');

describe('relevance signals', () => {
  it('finds sinks and request input in several languages, and nothing in plain code', () => {
    // prepare
    const lines = [
      "db.query(`SELECT * FROM users WHERE id = ${req.params.id}`)", // JS
      'cursor.execute("SELECT * FROM t WHERE name = \'%s\'" % request.args["name"])', // Python
      '$rows = mysqli_query($conn, "SELECT * FROM t WHERE id=" . $_GET["id"]);', // PHP
      'Runtime.getRuntime().exec(cmd);', // Java
      'http.HandleFunc("/upload", upload)', // Go
      'return redirect(params[:next])', // Ruby
      'var user = Request.Query["user"];', // C#
      'const total = items.reduce((sum, item) => sum + item.price, 0)',
    ].join('\n');
    // act
    const found = signalLines(lines);
    // assess
    expect(found.map((line) => line.line)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(found[0]!.kinds).toEqual(expect.arrayContaining(['sql', 'request-input']));
  });

  it('puts production code with sinks before tests and translations with the same words', () => {
    // prepare
    const sink = "router.post('/login', (req, res) => db.query(`SELECT * FROM u WHERE n='${req.body.name}'`))\n";
    // act
    const production = fileRelevance('api/login.js', sink);
    const test = fileRelevance('test/login.test.js', sink);
    const translation = fileRelevance('src/i18n/de.json', '{ "password": "Passwort" }\n');
    const plain = fileRelevance('lib/math.js', filler(5));
    // assess
    expect(production.tier).toBe(0);
    expect(production.score).toBeGreaterThan(0);
    expect(test.tier).toBe(2);
    expect(translation.tier).toBeGreaterThanOrEqual(2);
    expect(plain).toMatchObject({ tier: 1, score: 0 });
  });
});

describe('cutRegions', () => {
  it('keeps the windows around the heaviest lines within the room, merged, with real line numbers', () => {
    // prepare
    const text = filler(100);
    // act
    const regions = cutRegions(text, [{ line: 50, weight: 3 }, { line: 52, weight: 3 }, { line: 90, weight: 1 }], 320, { before: 2, after: 2 });
    // assess
    expect(regions[0]).toMatchObject({ startLine: 48, endLine: 54 });
    expect(regions[0]!.text.split('\n')[0]).toBe('const value47 = 47 * 2; // arithmetic only');
    expect(regions.reduce((n, region) => n + region.text.length, 0)).toBeLessThanOrEqual(320);
    expect(regions.map((region) => region.startLine)).not.toContain(88); // the lighter window did not fit
  });
});

describe('buildContext with the security ranking', () => {
  it('sends a large file whose sink is past the head as a region holding the sink line, with its line numbers', async () => {
    // prepare: the sink is on line 1201 of a 60,000-char file; a head would never reach it
    const dir = await temp.make();
    const sinkLine = "app.get('/search', (req, res) => db.query(`SELECT * FROM products WHERE name LIKE '%${req.query.q}%'`))";
    await writeTree(dir, { 'server.js': `${filler(1200)}${sinkLine}\n${filler(300, 'after')}`, 'docs/notes.js': filler(50) });
    // act
    const context = await buildContext({ repoDir: dir, patterns: ['**/*.js'], budgetChars: 6_000, ranking: 'security' });
    // assess
    expect(context.text.length).toBeLessThanOrEqual(6_000);
    expect(context.text).toContain(sinkLine);
    expect(context.text).toMatch(/==> server\.js <== \(lines \d+-\d+ of 1501\)/);
    const header = /==> server\.js <== \(lines (\d+)-(\d+) of 1501\)\n/.exec(context.text.slice(0, context.text.indexOf(sinkLine)).split('==> ').map((part) => `==> ${part}`).at(-1)!)!;
    const before = context.text.slice(context.text.indexOf(header[0]) + header[0].length, context.text.indexOf(sinkLine)).split('\n').length - 1;
    expect(Number(header[1]) + before).toBe(1201);
    expect(context.files.find((file) => file.path === 'server.js')).toMatchObject({ truncated: true });
  });

  it('never exceeds the budget and keeps secrets redacted', async () => {
    // prepare
    const dir = await temp.make();
    await writeTree(dir, {
      'routes/a.js': `${filler(400)}const key = 'AKIAQWERTYUIOPASDFGH2';\nrouter.get('/a', (req, res) => res.redirect(req.query.next))\n${filler(400)}`,
      'routes/b.py': `${filler(10)}os.system(request.args["cmd"])\n`,
      'lib/util.js': filler(200),
    });
    for (const budgetChars of [0, 50, 300, 1_000, 4_000, 40_000]) {
      // act
      const context = await buildContext({ repoDir: dir, patterns: ['**/*'], budgetChars, ranking: 'security' });
      // assess
      expect(context.text.length).toBeLessThanOrEqual(budgetChars);
      expect(context.text).not.toContain('AKIAQWERTYUIOPASDFGH2');
    }
  });
});

describe('the catalog', () => {
  it('declares the context ranking of every headless worker, security for audit, deepdive and predict', () => {
    // act
    const headless = BUILTIN_WORKERS.filter((worker) => worker.mode === 'headless');
    // assess
    for (const worker of headless) expect(worker.contextRanking, worker.type).toBeTruthy();
    const ranking = Object.fromEntries(headless.map((worker) => [worker.type, worker.contextRanking]));
    expect(ranking).toMatchObject({ audit: 'security', deepdive: 'security', predict: 'security' });
  });
});
