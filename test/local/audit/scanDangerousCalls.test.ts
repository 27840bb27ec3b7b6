import { describe, expect, it } from 'vitest';
import { DANGEROUS_CALL_RULES, scanDangerousCalls } from '../../../workers/local/audit/index.js';

interface RuleCase {
  readonly ruleId: string;
  readonly file: string;
  readonly positives: readonly string[];
  readonly negatives: readonly string[];
}

const CASES: readonly RuleCase[] = [
  {
    ruleId: 'js-eval',
    file: 'src/run.ts',
    positives: ['const result = eval(userInput);', 'window.eval(code)'],
    negatives: ['model.eval();', '// eval(userInput) is dangerous', 'const evaluate = (x) => x;', "const s = 'x'; // never eval(s)"],
  },
  {
    ruleId: 'js-new-function',
    file: 'src/compile.js',
    positives: ['const fn = new Function("a", body);'],
    negatives: ['function make() { return new Map(); }', ' * new Function() is avoided here'],
  },
  {
    ruleId: 'js-string-timer',
    file: 'src/timer.js',
    positives: ['setTimeout("refresh()", 1000);', 'setInterval(`tick(${n})`, 10);'],
    negatives: ['setTimeout(() => refresh(), 1000);', 'setInterval(tick, 10);'],
  },
  {
    ruleId: 'js-command-injection',
    file: 'scripts/deploy.ts',
    positives: ['execSync(`git checkout ${branch}`);', "child_process.exec('rm -rf ' + dir, done);", 'exec(cmd + args);'],
    negatives: ["execFileSync('git', ['checkout', branch]);", 'const m = pattern.exec(text + suffix);', "execSync('git status');"],
  },
  {
    ruleId: 'js-html-injection',
    file: 'web/view.js',
    positives: ['el.innerHTML = html;', 'row.outerHTML = `<tr>${cells}</tr>`;', 'list.innerHTML += item;'],
    negatives: ["el.innerHTML = '';", 'el.innerHTML = "<b>static</b>";', 'if (el.innerHTML === prev) return;', 'el.textContent = html;'],
  },
  {
    ruleId: 'js-insert-adjacent-html',
    file: 'web/view.ts',
    positives: ["el.insertAdjacentHTML('beforeend', markup);"],
    negatives: ["el.insertAdjacentText('beforeend', markup);"],
  },
  {
    ruleId: 'js-document-write',
    file: 'web/index.html',
    positives: ['<script>document.write(location.hash)</script>'],
    negatives: ['<!-- document.write(x) -->', '<p>document writing</p>'],
  },
  {
    ruleId: 'react-dangerously-set-inner-html',
    file: 'web/Post.tsx',
    positives: ['<div dangerouslySetInnerHTML={{ __html: post.body }} />'],
    negatives: ['<div>{post.body}</div>'],
  },
  {
    ruleId: 'py-os-system',
    file: 'tools/run.py',
    positives: ['os.system("tar xf " + name)', 'out = os.popen(cmd).read()'],
    negatives: ['# os.system(cmd) was replaced', 'subprocess.run(["tar", "xf", name])'],
  },
  {
    ruleId: 'py-eval-exec',
    file: 'tools/calc.py',
    positives: ['value = eval(expression)', 'exec(source, namespace)'],
    negatives: ['model.eval()', 'cursor.execute(query, params)', 'evaluate(expression)'],
  },
  {
    ruleId: 'py-pickle-load',
    file: 'tools/cache.py',
    positives: ['data = pickle.loads(blob)', 'obj = pickle.load(handle)'],
    negatives: ['blob = pickle.dumps(data)', 'data = json.loads(blob)'],
  },
  {
    ruleId: 'py-yaml-unsafe-load',
    file: 'tools/config.py',
    positives: ['config = yaml.load(handle)', 'config = yaml.load(handle, Loader=yaml.Loader)'],
    negatives: ['config = yaml.safe_load(handle)', 'config = yaml.load(handle, Loader=yaml.SafeLoader)', 'config = yaml.load(handle, Loader=CSafeLoader)'],
  },
  {
    ruleId: 'sql-injection',
    file: 'src/repo.ts',
    positives: [
      'const q = "SELECT * FROM users WHERE id = " + id;',
      'db.query(`DELETE FROM sessions WHERE user = ${userId}`);',
      "const q = 'UPDATE accounts SET balance = ' + amount + ' WHERE id = 1';",
      'const q = "insert into logs (msg) values (\'" + msg + "\')";',
    ],
    negatives: [
      'db.query("SELECT * FROM users WHERE id = $1", [id]);',
      'const rows = await sql`SELECT * FROM users WHERE id = ${id}`;',
      'const label = "Select an option " + name;',
      'const q = `SELECT * FROM users`;',
    ],
  },
  {
    ruleId: 'go-shell-command-injection',
    file: 'cmd/run.go',
    positives: ['cmd := exec.Command("sh", "-c", "ls " + dir)', 'cmd := exec.CommandContext(ctx, "/bin/bash", "-c", fmt.Sprintf("tar xf %s", name))'],
    negatives: ['cmd := exec.Command("tar", "xf", name)', 'cmd := exec.Command("sh", "-c", "make build")'],
  },
  {
    ruleId: 'weak-password-hash',
    file: 'src/auth.js',
    positives: ["const digest = crypto.createHash('md5').update(password).digest('hex');"],
    negatives: ["const etag = crypto.createHash('md5').update(body).digest('hex');", 'const hash = await bcrypt.hash(password, 12);'],
  },
  {
    ruleId: 'tls-verification-disabled',
    file: 'src/http.ts',
    positives: ['const agent = new https.Agent({ rejectUnauthorized: false });', "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';"],
    negatives: ['const agent = new https.Agent({ rejectUnauthorized: true });'],
  },
];

/** Python and Go variants of rules that span languages. */
const EXTRA_POSITIVES: readonly (readonly [ruleId: string, file: string, line: string])[] = [
  ['tls-verification-disabled', 'tools/fetch.py', 'requests.get(url, verify=False)'],
  ['tls-verification-disabled', 'net/client.go', 'tls := &tls.Config{InsecureSkipVerify: true}'],
  ['sql-injection', 'tools/db.py', 'cursor.execute(f"SELECT name FROM users WHERE id = {user_id}")'],
  ['sql-injection', 'tools/db.py', 'cursor.execute("DELETE FROM t WHERE id = %s" % user_id)'],
  ['sql-injection', 'store/db.go', 'q := fmt.Sprintf("SELECT * FROM items WHERE owner = \'%s\'", owner)'],
  ['weak-password-hash', 'tools/auth.py', 'digest = hashlib.md5(password.encode()).hexdigest()'],
];

describe('scanDangerousCalls', () => {
  it('has a case for every rule', () => {
    // Prepare
    const ids = DANGEROUS_CALL_RULES.map((rule) => rule.id);

    // Act
    const covered = new Set([...CASES.map((testCase) => testCase.ruleId), 'py-subprocess-shell']);

    // Assess
    expect(ids.filter((id) => !covered.has(id))).toEqual([]);
  });

  describe.each(CASES)('$ruleId', (testCase) => {
    it.each(testCase.positives)('reports %j', (line) => {
      // Act
      const findings = scanDangerousCalls(`// header\n${line}\n`, testCase.file);

      // Assess
      expect(findings.map((finding) => [finding.ruleId, finding.line])).toEqual([[testCase.ruleId, 2]]);
    });

    it.each(testCase.negatives)('does not report %j', (line) => {
      // Act
      const findings = scanDangerousCalls(`${line}\n`, testCase.file);

      // Assess
      expect(findings.filter((finding) => finding.ruleId === testCase.ruleId)).toEqual([]);
    });
  });

  it.each(EXTRA_POSITIVES)('reports %s in %s', (ruleId, file, line) => {
    // Act
    const findings = scanDangerousCalls(`${line}\n`, file);

    // Assess
    expect(findings.map((finding) => finding.ruleId)).toEqual([ruleId]);
  });

  it('reports shell=True only in a file that uses subprocess', () => {
    // Prepare
    const withSubprocess = 'import subprocess\nsubprocess.run(\n    command,\n    shell=True,\n)\n';
    const withoutSubprocess = 'widget = Frame(shell=True)\n';

    // Act
    const reported = scanDangerousCalls(withSubprocess, 'tools/run.py');
    const quiet = scanDangerousCalls(withoutSubprocess, 'tools/ui.py');

    // Assess
    expect(reported.map((finding) => [finding.ruleId, finding.line])).toEqual([['py-subprocess-shell', 4]]);
    expect(quiet).toEqual([]);
  });

  it('ignores files of languages no rule reads', () => {
    // Act
    const findings = scanDangerousCalls('eval(x)\nos.system(cmd)\n', 'docs/notes.md');

    // Assess
    expect(findings).toEqual([]);
  });

  it('redacts secrets in the evidence', () => {
    // Prepare
    const password = 'Zr8qL2vW9xT4';
    const line = `execSync(\`mysql --password="${password}" -e \${query}\`);`;

    // Act
    const [finding] = scanDangerousCalls(`${line}\n`, 'scripts/db.ts');

    // Assess
    expect(finding!.ruleId).toBe('js-command-injection');
    expect(finding!.evidence).not.toContain(password);
  });
});

describe('scanDangerousCalls on minified code', () => {
  it('finds a call at the far end of a 1 MB single line, and at a window boundary', () => {
    const filler = 'var a="x",b="select from",c=1;'.repeat(35_000);
    const line = `${filler}eval(userInput);${filler.slice(0, 3_990)}document.write(payload);`;

    const findings = scanDangerousCalls(line, 'dist-like/app.js');

    expect(findings.map((f) => `${f.ruleId}:${f.line}`).sort()).toEqual(['js-document-write:1', 'js-eval:1']);
  });
});
