import type { CodeLanguage, DangerousCallRule } from './types.js';

const JS: readonly CodeLanguage[] = ['javascript', 'html'];
const CODE: readonly CodeLanguage[] = ['javascript', 'python', 'go', 'ruby', 'php', 'java', 'csharp'];

/**
 * SQL statement shapes: a verb with its clause, so prose like "Select an option" does not count.
 * Every repetition in the SQL rule is bounded (a few hundred characters): unbounded ones
 * backtrack cubically on minified lines full of quotes, which took minutes per file.
 */
const SQL = String.raw`(?:\bselect\b[^\n]{0,200}?\bfrom\b|\binsert\s+into\b|\bupdate\s+[\w."\x60\[\]]+\s+set\b|\bdelete\s+from\b)`;

/**
 * The dangerous-call rules: code execution, command and SQL injection, HTML
 * injection, unsafe deserialisation, weak password hashing and disabled TLS
 * verification.
 *
 * @example DANGEROUS_CALL_RULES.map((rule) => rule.id)
 */
export const DANGEROUS_CALL_RULES: readonly DangerousCallRule[] = [
  {
    id: 'js-eval',
    severity: 'high',
    message: 'eval() runs a string as code; an attacker-influenced string becomes code execution',
    languages: JS,
    keywords: ['eval'],
    pattern: /(?:^|[^\w$.]|\b(?:window|globalThis|self)\.)eval\s*\(/,
  },
  {
    id: 'js-new-function',
    severity: 'high',
    message: 'new Function() compiles a string into code, like eval',
    languages: JS,
    keywords: ['function'],
    pattern: /\bnew\s+Function\s*\(/,
  },
  {
    id: 'js-string-timer',
    severity: 'medium',
    message: 'setTimeout/setInterval with a string argument evaluates it as code',
    languages: JS,
    keywords: ['settimeout', 'setinterval'],
    pattern: /(?:^|[^\w$.]|\b(?:window|globalThis)\.)set(?:Timeout|Interval)\s*\(\s*["'\x60]/,
  },
  {
    id: 'js-command-injection',
    severity: 'critical',
    message: 'child_process exec/execSync with a command built from a template or concatenation: use execFile with an argument array',
    languages: ['javascript'],
    keywords: ['exec'],
    pattern:
      /(?:^|[^\w$.]|\b(?:child_process|childProcess|cp)\.)exec(?:Sync)?\s*\(\s*(?:\x60[^\x60]{0,400}\$\{|["'][^"']*["']\s*\+|[\w$.]+\s*\+\s*[\w$"'\x60(])/,
  },
  {
    id: 'js-html-injection',
    severity: 'medium',
    message: 'Assigning HTML from a variable (innerHTML/outerHTML) enables cross-site scripting: use textContent or sanitise',
    languages: JS,
    keywords: ['innerhtml', 'outerhtml'],
    pattern: /\.(?:innerHTML|outerHTML)\s*\+?=(?!=)/,
    unless: /\.(?:innerHTML|outerHTML)\s*=\s*(?:"[^"\\]*"|'[^'\\]*'|\x60[^\x60$\\]*\x60)\s*;?\s*$/,
  },
  {
    id: 'js-insert-adjacent-html',
    severity: 'medium',
    message: 'insertAdjacentHTML parses its argument as HTML: cross-site scripting when it carries input',
    languages: JS,
    keywords: ['insertadjacenthtml'],
    pattern: /\.insertAdjacentHTML\s*\(/,
  },
  {
    id: 'js-document-write',
    severity: 'medium',
    message: 'document.write injects HTML into the page: cross-site scripting when it carries input',
    languages: JS,
    keywords: ['document.write'],
    pattern: /\bdocument\.write(?:ln)?\s*\(/,
  },
  {
    id: 'react-dangerously-set-inner-html',
    severity: 'medium',
    message: 'dangerouslySetInnerHTML renders raw HTML: sanitise the value (DOMPurify) or render text',
    languages: ['javascript'],
    keywords: ['dangerouslysetinnerhtml'],
    pattern: /\bdangerouslySetInnerHTML\s*[=:]/,
  },
  {
    id: 'py-os-system',
    severity: 'high',
    message: 'os.system/os.popen run a shell command: use subprocess.run with an argument list',
    languages: ['python'],
    keywords: ['os.system', 'os.popen'],
    pattern: /\bos\.(?:system|popen)\s*\(/,
  },
  {
    id: 'py-subprocess-shell',
    severity: 'high',
    message: 'subprocess with shell=True runs the command through a shell: pass an argument list without shell=True',
    languages: ['python'],
    keywords: ['shell'],
    pattern: /\bshell\s*=\s*True\b/,
    fileRequires: 'subprocess',
  },
  {
    id: 'py-eval-exec',
    severity: 'high',
    message: 'eval()/exec() run a string as Python code',
    languages: ['python'],
    keywords: ['eval', 'exec'],
    pattern: /(?:^|[^\w.])(?:eval|exec)\s*\(/,
  },
  {
    id: 'py-pickle-load',
    severity: 'high',
    message: 'pickle.load(s) executes code from the data it reads: never unpickle untrusted input',
    languages: ['python'],
    keywords: ['pickle', 'dill'],
    pattern: /\b(?:c?[Pp]ickle|dill)\.loads?\s*\(/,
  },
  {
    id: 'py-yaml-unsafe-load',
    severity: 'medium',
    message: 'yaml.load without SafeLoader can construct arbitrary objects: use yaml.safe_load',
    languages: ['python'],
    keywords: ['yaml'],
    pattern: /\byaml\.(?:load|load_all|unsafe_load|full_load)\s*\(/,
    unless: /Loader\s*=\s*(?:yaml\.)?C?SafeLoader|Loader\s*=\s*(?:yaml\.)?BaseLoader/,
  },
  {
    id: 'sql-injection',
    severity: 'high',
    message: 'SQL built by string concatenation or interpolation: use parameterised queries',
    languages: CODE,
    keywords: ['select', 'insert', 'update', 'delete'],
    pattern: new RegExp(
      [
        // "SELECT ... FROM t WHERE id = " + id   /   'DELETE FROM t WHERE x=' . $x
        String.raw`"[^"\n]{0,400}${SQL}[^"\n]{0,400}"\s*(?:\+|\.(?!\w)|\|\|)\s*[\w$(]`,
        String.raw`'[^'\n]{0,400}${SQL}[^'\n]{0,400}'\s*(?:\+|\.(?!\w)|\|\|)\s*[\w$(]`,
        // `SELECT ... ${id}` (not a sql`` tagged template, which parameterises)
        String.raw`(?<!\bsql\s*)\x60[^\x60]{0,400}${SQL}[^\x60]{0,400}\$\{`,
        // f"SELECT ... {id}", $"SELECT ... {id}", "SELECT ... #{id}"
        String.raw`\b[fF][rR]?"[^"\n]{0,400}${SQL}[^"\n]{0,400}\{[^}\n]+\}`,
        String.raw`\b[fF][rR]?'[^'\n]{0,400}${SQL}[^'\n]{0,400}\{[^}\n]+\}`,
        String.raw`\$@?"[^"\n]{0,400}${SQL}[^"\n]{0,400}\{[^}\n]+\}`,
        String.raw`"[^"\n]{0,400}${SQL}[^"\n]{0,400}#\{[^}\n]+\}`,
        // "SELECT ... %s" % x,  "SELECT ... {}".format(x)
        String.raw`"[^"\n]{0,400}${SQL}[^"\n]{0,400}(?:%[sdv]|\{\})[^"\n]{0,400}"\s*(?:%\s*[\w(]|\.format\s*\()`,
        String.raw`'[^'\n]{0,400}${SQL}[^'\n]{0,400}(?:%[sdv]|\{\})[^'\n]{0,400}'\s*(?:%\s*[\w(]|\.format\s*\()`,
        // fmt.Sprintf("SELECT ... %s", x), String.format(...), sprintf(...)
        String.raw`(?:Sprintf|String\.format|sprintf)\s*\(\s*"[^"\n]{0,400}${SQL}[^"\n]{0,400}%[sdvq]`,
      ].join('|'),
      'i',
    ),
  },
  {
    id: 'go-shell-command-injection',
    severity: 'critical',
    message: 'exec.Command("sh", "-c", ...) with a concatenated or formatted command runs attacker-influenced shell: pass arguments directly',
    languages: ['go'],
    keywords: ['exec.command'],
    pattern:
      /\bexec\.Command(?:Context)?\s*\((?:\s*\w+\s*,)?\s*"(?:\/bin\/|\/usr\/bin\/)?(?:ba|z|da)?sh"\s*,\s*"-c"\s*,\s*(?:[^\n]*\+|fmt\.Sprintf\s*\()/,
  },
  {
    id: 'weak-password-hash',
    severity: 'high',
    message: 'MD5/SHA-1 used on a password: use a password hash (bcrypt, scrypt, argon2, PBKDF2)',
    languages: CODE,
    keywords: ['md5', 'sha1', 'sha-1'],
    pattern: /\b(?:md5|sha-?1)\b[^\n]*\b(?:\w*pass(?:word|wd)?\w*|pwd)\b|\b(?:\w*pass(?:word|wd)?\w*|pwd)\b[^\n]*\b(?:md5|sha-?1)\b/i,
  },
  {
    id: 'tls-verification-disabled',
    severity: 'high',
    message: 'TLS certificate verification is disabled: connections can be intercepted',
    languages: ['javascript', 'python', 'go', 'ruby', 'php', 'java', 'csharp'],
    keywords: ['rejectunauthorized', 'verify', 'insecureskipverify', 'node_tls_reject_unauthorized', '_create_unverified_context', 'verify_mode', 'verify_peer'],
    pattern:
      /\brejectUnauthorized\s*:\s*false\b|\bNODE_TLS_REJECT_UNAUTHORIZED\b[^\n]*=\s*["']?0\b|\bverify\s*=\s*False\b|\bInsecureSkipVerify\s*:\s*true\b|\bssl\._create_unverified_context\b|\bverify_mode\s*=\s*OpenSSL::SSL::VERIFY_NONE\b|CURLOPT_SSL_VERIFYPEER\s*,\s*(?:false|0)\b/,
  },
];
