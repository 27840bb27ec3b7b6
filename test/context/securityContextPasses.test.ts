import { afterEach, describe, expect, it } from 'vitest';
import { buildContext } from '../../workers/context/index.js';
import { cutRegions } from '../../workers/context/cutRegions.js';
import { decidesTrustByName } from '../../workers/context/decidesTrustByName.js';
import { fileRelevance } from '../../workers/context/fileRelevance.js';
import { signalLines } from '../../workers/context/relevanceSignals.js';
import { createTempDirs, writeTree } from '../helpers/contextFixtures.js';

const temp = createTempDirs();
afterEach(temp.cleanup);

/** `count` lines of harmless code. */
const filler = (count: number, word = 'value'): string => Array.from({ length: count }, (_, i) => `const ${word}${i} = ${i} * 2; // arithmetic only\n`).join('');

describe('signals of issue 12, part 2', () => {
  it('weighs a query built from strings above a parameterised one, in several languages', () => {
    // prepare
    const built = [
      'db.execute("SELECT * FROM users WHERE name = \'" + name + "\'")', // Python, concatenation
      'cursor.execute(f"SELECT * FROM users WHERE name = \'{name}\'")', // Python f-string
      'sequelize.query(`SELECT * FROM Products WHERE name LIKE \'%${criteria}%\'`)', // JS template
      '$db->query("SELECT * FROM t WHERE id = " . $id);', // PHP
    ];
    const parameterised = 'db.execute("SELECT * FROM users WHERE name = ?", (name,))';
    // act
    const builtWeights = built.map((line) => signalLines(line)[0]?.weight);
    const safeWeight = signalLines(parameterised)[0]?.weight;
    // assess
    expect(builtWeights).toEqual([4, 4, 4, 4]);
    expect(safeWeight).toBe(3);
  });

  it('marks settings that switch a protection off and credentials written into code, not their safe forms', () => {
    // prepare
    const insecure = ["app.run(host='0.0.0.0', debug=True)", "jwt.decode(token, options={'verify_signature': False})", "app.config['WTF_CSRF_ENABLED'] = False", "JWT_SECRET = 'correct-horse'", 'https.request({ rejectUnauthorized: false })'];
    const safe = ['app.run(debug=False)', "JWT_SECRET = os.environ['JWT_SECRET']", "secret = ''"];
    // act
    const flagged = insecure.map((line) => signalLines(line)[0]?.kinds ?? []);
    const notFlagged = safe.map((line) => signalLines(line)[0]?.kinds ?? []);
    // assess
    for (const kinds of flagged) expect(kinds).toContain('insecure-setting');
    for (const kinds of notFlagged) expect(kinds).not.toContain('insecure-setting');
  });

  it('does not show import lines, though they count for the file', () => {
    // prepare
    const text = "import jwt from 'jsonwebtoken'\nfrom flask import session\nconst token = jwt.sign(payload, key)\n";
    // act
    const relevance = fileRelevance('src/login.ts', text);
    // assess
    expect(relevance.lines.map((line) => line.line)).toEqual([3]);
    expect(relevance.score).toBeGreaterThan(0);
  });

  it('ranks a short file dense with sinks above a long one with the same kinds spread thin', () => {
    // prepare
    const sinks = "os.system(request.args['cmd'])\npickle.loads(request.data)\n";
    // act
    const dense = fileRelevance('app/tools.py', sinks);
    const sparse = fileRelevance('app/tools2.py', `${filler(400)}${sinks}${filler(400, 'after')}`);
    // assess
    expect(dense.score).toBeGreaterThan(sparse.score);
  });

  it('tells trust files by name, in any case style, and never style sheets', () => {
    // act / assess
    expect(['config/securityQuestions.yml', 'app/roles.ts', 'policies/cors.json', 'src/auth/Login.java', 'settings/password_policy.ini'].map(decidesTrustByName)).toEqual([true, true, true, true, true]);
    expect(['src/capital.ts', 'src/login/login.component.scss', 'lib/math.py', 'img/roles.svg'].map(decidesTrustByName)).toEqual([false, false, false, false]);
  });
});

describe('unescaped output in PHP views', () => {
  it('marks a variable echoed raw into a page, not one escaped first', () => {
    // act
    const raw = ['<p>Results for <?= $term ?></p>', "<div><?php echo $row['body']; ?></div>"].map((line) => signalLines(line)[0]?.kinds ?? []);
    const escaped = signalLines('<p><?= htmlspecialchars($term) ?></p>')[0]?.kinds ?? [];
    // assess
    for (const kinds of raw) expect(kinds).toContain('template');
    expect(escaped).not.toContain('template');
  });
});

describe('cutRegions joins regions whose gap costs less than a header', () => {
  it('bridges a one-line gap between two windows and keeps within the room', () => {
    // prepare
    const text = filler(30);
    // act
    const regions = cutRegions(text, [{ line: 10, weight: 3 }, { line: 14, weight: 3 }], 2_000, { before: 1, after: 1, perRegionChars: 60 });
    // assess
    expect(regions).toHaveLength(1);
    expect(regions[0]).toMatchObject({ startLine: 9, endLine: 15 });
  });
});

describe('cutRegions narrows the windows of lighter lines', () => {
  it('shows an entry line alone and a sink with a line either side', () => {
    // prepare
    const text = filler(40);
    // act
    const regions = cutRegions(text, [{ line: 10, weight: 2 }, { line: 30, weight: 3 }], 2_000, { before: 1, after: 1, narrowBelow: 3 });
    // assess
    expect(regions.map((region) => [region.startLine, region.endLine])).toEqual([
      [10, 10],
      [29, 31],
    ]);
  });
});

describe('lines that handle credentials or mint tokens', () => {
  it('weighs a password going through a hash like an entry point, and a mint like a sink', () => {
    // act
    const hashed = signalLines("this.setDataValue('password', security.hash(clearTextPassword))")[0];
    const minted = signalLines('_safeMint(to, tokenId);')[0];
    // assess
    expect(hashed?.weight).toBe(2);
    expect(minted?.kinds).toContain('contract');
  });
});

describe('buildContext with the security ranking, passes', () => {
  it('shows every sink line of the most relevant file and a small trust file with no signal, before plain code', async () => {
    // prepare: two sinks far apart in a big route file, a tiny security-questions file, and lots of plain code
    const dir = await temp.make();
    const first = "app.get('/search', (req, res) => db.query(`SELECT * FROM products WHERE name LIKE '%${req.query.q}%'`))";
    const second = "app.post('/run', (req, res) => exec(req.body.cmd))";
    const plain: Record<string, string> = {};
    for (let i = 0; i < 40; i++) plain[`lib/module${i}.js`] = filler(100, `m${i}_`);
    await writeTree(dir, {
      'server.js': `${filler(600)}${first}\n${filler(600, 'middle')}${second}\n${filler(300, 'after')}`,
      'data/securityQuestions.yml': "- question: 'Your favourite pet?'\n- question: 'Your mother's maiden name?'\n",
      ...plain,
    });
    // act
    const context = await buildContext({ repoDir: dir, patterns: ['**/*'], budgetChars: 12_000, ranking: 'security' });
    // assess
    expect(context.text).toContain(first);
    expect(context.text).toContain(second);
    expect(context.text).toContain('==> data/securityQuestions.yml <==\n');
    expect(context.text.length).toBeLessThanOrEqual(12_000);
    // nothing left out silently: every candidate is either sent or counted
    expect(context.files.length + (context.excludedCounts?.budget ?? 0)).toBe(context.candidateCount);
  });

  it('lets production code in before tests that hold the same built queries', async () => {
    // prepare
    const dir = await temp.make();
    const query = 'rows = db.execute("SELECT * FROM t WHERE id = " + str(i))\n';
    const tests: Record<string, string> = {};
    for (let i = 0; i < 30; i++) tests[`tests/test_${i}.py`] = `${query}${filler(60, `t${i}_`)}`;
    await writeTree(dir, { ...tests, 'app/views.py': `${filler(200)}@app.route('/x')\ndef x():\n    return eval(request.args['e'])\n` });
    // act
    const context = await buildContext({ repoDir: dir, patterns: ['**/*'], budgetChars: 3_000, ranking: 'security' });
    // assess
    expect(context.text).toContain("eval(request.args['e'])");
    expect(context.files[0]!.path).toBe('app/views.py');
  });
});
