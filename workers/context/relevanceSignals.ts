/**
 * What a line of code can tell an auditor, in any common language: where
 * requests come in, and where data reaches something dangerous. Each signal
 * is a kind, a weight and one single-line regex; the regexes name APIs and
 * idioms of JS/TS, Python, PHP, Java, Go, Ruby, C# and Solidity, never a
 * particular application's names.
 */
export interface RelevanceSignal {
  readonly kind: RelevanceKind;
  /** How much a line with this signal is worth showing: queries built from strings 4, sinks and insecure settings 3, request input and entry points 2, context 1. */
  readonly weight: number;
  readonly pattern: RegExp;
}

/** The families of signals, as recorded per file. */
export type RelevanceKind =
  | 'entry-point'
  | 'request-input'
  | 'query-building'
  | 'insecure-setting'
  | 'weak-crypto'
  | 'sql'
  | 'nosql'
  | 'code-execution'
  | 'deserialisation'
  | 'file-path'
  | 'redirect'
  | 'template'
  | 'outbound-request'
  | 'crypto'
  | 'auth'
  | 'access-control'
  | 'contract';

/** Lines longer than this are minified or data: no signal is read from them. */
export const MAX_SIGNAL_LINE_CHARS = 1_000;

/** The signals, strongest first. */
export const RELEVANCE_SIGNALS: readonly RelevanceSignal[] = [
  // A query written in SQL and built by concatenation or interpolation: the shape of an injection, whatever the driver.
  {
    kind: 'query-building',
    weight: 4,
    pattern: /\b(?:SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|WHERE|ORDER\s+BY|LIKE)\b.*(?:['"`]\s*\+\s*\w|\w\s*\+\s*['"`]|\$\{|['"]\s*%\s*[\w(]|\.format\s*\(|['"]\s*\.\s*\$|\{\w+\})/,
  },
  // Settings that switch a protection off, and credentials written into code.
  {
    kind: 'insecure-setting',
    weight: 3,
    pattern:
      /\bdebug\s*[=:]\s*(?:True|true)\b|\bDEBUG\s*=\s*(?:True|true|1)\b|verify(?:_signature|_ssl|SSL|Signature)?['"]?\s*[=:]\s*(?:False|false)\b|rejectUnauthorized\s*:\s*false|NODE_TLS_REJECT_UNAUTHORIZED|CSRF\w*['"]?\]?\s*[=:]\s*(?:False|false)|(?:HTTPONLY|HttpOnly|httpOnly|COOKIE_SECURE)['"]?\]?\s*[=:]\s*(?:False|false)|(?:origins?|Access-Control-Allow-Origin)['"]?\s*[=:,]\s*['"]\*['"]|\b(?:algorithms?|alg)['"]?\s*[=:]\s*\[?\s*['"]none['"]|(?:secret|SECRET|Secret|password|PASSWORD|passwd|api_?key|API_?KEY|apiKey|private_?key|privateKey|PRIVATE_KEY)\w*['"]?\]?\s*[=:]\s*['"][^'"\s]{4,}['"]/,
  },
  // Hashes and randomness too weak for what security asks of them.
  {
    kind: 'weak-crypto',
    weight: 3,
    pattern: /\b(?:md5|MD5|sha1|SHA1|Md5|Sha1)\b|\bMODE_ECB\b|\bDES\b|\bRC4\b|\bMath\.random\s*\(|\brandom\.(?:random|randint|choice)\s*\(|\bmt_rand\s*\(|\bnew Random\s*\(/,
  },
  // Dangerous sinks.
  {
    kind: 'sql',
    weight: 3,
    pattern:
      /\b(?:SELECT\b[^;]{0,200}\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|UNION\s+SELECT)\b|\.(?:query|rawQuery|raw|execute|executemany|executeQuery|executeUpdate|exec_query|find_by_sql|whereRaw|selectRaw|orderByRaw|createNativeQuery|createQuery|FromSqlRaw|ExecuteSqlRaw|QueryRow|Exec)\s*\(|\bmysqli?_query\s*\(|\bcursor\.execute\b/,
  },
  { kind: 'nosql', weight: 3, pattern: /\$where\b|\.(?:find|findOne|update|updateOne|updateMany|deleteMany|aggregate|mapReduce)\s*\(\s*(?:\{|req\b|request\b|params\b)|\$(?:ne|gt|regex)\b/ },
  {
    kind: 'code-execution',
    weight: 3,
    pattern:
      /\b(?:eval|exec|execSync|execFile|spawn|spawnSync|system|popen|passthru|shell_exec|proc_open|create_function|instance_eval|class_eval|Function)\s*\(|\bchild_process\b|\bsubprocess\.|\bos\.system\b|\bRuntime\.getRuntime\(\)|\bProcessBuilder\b|\bexec\.Command\b|\bProcess\.Start\b|\bvm\.(?:run\w*|Script)\b|\bshell\s*=\s*True\b|`[^`]*\$\(/,
  },
  {
    kind: 'deserialisation',
    weight: 3,
    pattern: /\bunserialize\s*\(|\bpickle\.loads?\b|\byaml\.(?:load|unsafe_load)\s*\(|\bMarshal\.load\b|\bObjectInputStream\b|\breadObject\s*\(|\bBinaryFormatter\b|\bdeserializ\w*|\bjsonpickle\b|\bXMLDecoder\b|\bnode-serialize\b|\blibxml\w*|\bnoent\b|\bDOCTYPE\b|\bparseXml\b/i,
  },
  {
    kind: 'file-path',
    weight: 3,
    pattern:
      /\b(?:readFile|readFileSync|writeFile|writeFileSync|createReadStream|createWriteStream|sendFile|download|unlink|fopen|file_get_contents|file_put_contents|readfile|include|include_once|require_once|move_uploaded_file|send_file|send_from_directory|ReadFile|WriteFile|ReadAllText|ServeFile|FileInputStream|FileOutputStream)\s*\(|\bos\.(?:Open|Create)\s*\(|\bFiles\.(?:read\w*|write|newInputStream)\s*\(|\bnew\s+File\s*\(|\bserveIndex\b|\bexpress\.static\b|\bupload\w*|\bmulter\b|\bunzip\w*|\bextract(?:all|To)?\s*\(|\.\.\//i,
  },
  { kind: 'redirect', weight: 3, pattern: /\bredirect\w*|\bwindow\.location\b|\blocation\.href\b|\bLocation:\s|\bsetHeader\s*\(\s*['"]Location/i },
  {
    kind: 'template',
    weight: 3,
    pattern:
      /\b(?:innerHTML|outerHTML|insertAdjacentHTML|dangerouslySetInnerHTML|bypassSecurityTrust\w*|document\.write|render_template_string|mark_safe|html_safe|Html\.Raw|template\.HTML|v-html|\[innerHTML\]|trustAsHtml|SafeString|noescape)\b|\|\s*safe\b|\{\{\{|<%-|<%==|\becho\s+\$_|\bprint\s+\$_|<\?=\s*\$\w+(?:\[[^\]]*\])?\s*;?\s*\?>|<\?php\s+echo\s+\$\w+(?:\[[^\]]*\])?\s*;?\s*\?>/,
  },
  // Where requests come in.
  {
    kind: 'entry-point',
    weight: 2,
    pattern:
      /\b(?:app|router|server|api|route|routes|blueprint|bp|r|e|g|mux)\s*\.\s*(?:get|post|put|patch|delete|del|all|use|route|handle|handleFunc|HandleFunc|any|options|head|GET|POST|PUT|PATCH|DELETE)\s*\(|@\w+\.(?:route|get|post|put|patch|delete)\s*\(|@(?:Get|Post|Put|Patch|Delete|Request)Mapping\b|@(?:GET|POST|PUT|PATCH|DELETE|Path)\b|\[(?:Http(?:Get|Post|Put|Patch|Delete)|Route)\b|\bhttp\.HandleFunc\b|\b(?:get|post|put|patch|delete)\s+['"]\/|\bpath\s*:\s*['"][\w/:*-]*['"]|\bpath\s*\(\s*r?['"]|\burl\s*\(\s*r['"]\^|\bRoute::(?:get|post|put|patch|delete|any|match)\b/,
  },
  {
    kind: 'request-input',
    weight: 2,
    pattern:
      /\b(?:req|request|ctx|context|c)\s*\.\s*(?:body|query|params|param|cookies|headers|files|file|args|form|values|json|GET|POST|FILES|COOKIES|data|get_json|getParameter|getHeader|getQueryString|Query|Form|PostForm|FormValue|URL|Cookies|Headers|Param)\b|\$_(?:GET|POST|REQUEST|COOKIE|FILES|SERVER)\b|\bparams\s*\[|\bheaders\s*\[|@(?:RequestParam|PathVariable|RequestBody|RequestHeader|QueryParam|PathParam|FormParam)\b|\[From(?:Query|Body|Form|Route|Header)\]|\bqueryParams?\b|\bX-Forwarded-For\b/i,
  },
  {
    kind: 'outbound-request',
    weight: 2,
    pattern: /\b(?:urlopen|curl_exec|file_get_contents\s*\(\s*\$|requests\.(?:get|post|put|request)|http\.(?:Get|Post|NewRequest)|HttpClient|WebClient|RestTemplate|axios|needle|got)\s*\(|\bfetch\s*\(\s*(?:req|url|`)/,
  },
  // The rest: where trust is decided.
  {
    kind: 'access-control',
    weight: 2,
    pattern: /\b(?:isAdmin|is_admin|isAuthorized|isAuthenticated|authorize\w*|hasRole|hasPermission|checkPermission|permit|denyAll|allowlist|whitelist|blacklist|denylist|csrf|cors|rateLimit|ownerId|user_?id\s*==|role\s*[=!]==?)/i,
  },
  {
    kind: 'auth',
    weight: 1,
    pattern: /\b(?:jwt|jsonwebtoken|session|cookie|password|passwd|login|logout|authenticat\w*|credential\w*|token|secret|api[_-]?key|otp|totp|2fa|captcha)/i,
  },
  {
    kind: 'crypto',
    weight: 1,
    pattern: /\b(?:md5|sha1|createHash|createHmac|createCipher\w*|crypto|cipher|encrypt|decrypt|bcrypt|scrypt|pbkdf2|hash|hmac|Math\.random|random\.random|rand\(|mt_rand|DES|RC4|ECB|privateKey|publicKey)\b/i,
  },
  { kind: 'contract', weight: 3, pattern: /\bmsg\.(?:sender|value)\b|\btx\.origin\b|\.call\s*\{|\.call\.value\b|\bdelegatecall\b|\bselfdestruct\b|\.(?:transfer|send)\s*\(|\b_?(?:safeM|m)int\s*\(/ },
];

/** One line that carries at least one signal. */
export interface SignalLine {
  /** 1-based. */
  readonly line: number;
  /** The strongest signal's weight on the line. */
  readonly weight: number;
  readonly kinds: readonly RelevanceKind[];
}

/**
 * Every line of `text` that carries a signal, in line order, with its
 * strongest weight. Lines longer than `MAX_SIGNAL_LINE_CHARS` are skipped:
 * a minified bundle would otherwise match everything.
 *
 * @example signalLines("const q = `SELECT * FROM t WHERE id = ${req.query.id}`\n")[0] // { line: 1, weight: 3, kinds: ['sql', 'request-input'] }
 */
export function signalLines(text: string): SignalLine[] {
  const found: SignalLine[] = [];
  let lineNumber = 0;
  let start = 0;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    lineNumber++;
    if (end - start <= MAX_SIGNAL_LINE_CHARS && end > start) {
      const line = text.slice(start, end);
      let weight = 0;
      const kinds: RelevanceKind[] = [];
      for (const signal of RELEVANCE_SIGNALS) {
        if (signal.pattern.test(line)) {
          kinds.push(signal.kind);
          weight = Math.max(weight, signal.weight);
        }
      }
      // A secret or password going through a hash or cipher: how credentials are kept is worth an auditor's look.
      if (weight < 2 && kinds.includes('auth') && kinds.includes('crypto')) weight = 2;
      if (kinds.length > 0) found.push({ line: lineNumber, weight, kinds });
    }
    if (newline === -1) break;
    start = newline + 1;
  }
  return found;
}
